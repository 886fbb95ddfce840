import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session", autouse=True)
def _logs_in_a_temporary_folder(tmp_path_factory):
    """The app and the command line log under the user's state folder and keep working copies in the data
    folder: in tests, throwaway ones (the environment is inherited by the programs the tests start)."""
    folders = {name: tmp_path_factory.mktemp(name.lower()) for name in ("XDG_STATE_HOME", "XDG_DATA_HOME")}
    old = {name: os.environ.get(name) for name in folders}
    os.environ.update({name: str(path) for name, path in folders.items()})
    yield folders
    for name, value in old.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value

@pytest.fixture(scope="session")
def checker_on():
    """Make a checker on an in-memory database of CSV texts a test writes (facts first, then aliases)."""
    from factdesk.check import Checker
    from factdesk.store import ReferenceStore

    def make(*csv_texts: str, as_of: str | None = None) -> Checker:
        store = ReferenceStore.memory()
        for i, text in enumerate(csv_texts):
            store.import_text(text, name=f"written{i}.csv")
        return Checker(store, as_of=as_of)
    return make


REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

_FACT_ROWS = """entity,attribute,value,unit,as_of,source_url,note,valid_from,valid_to
Nimbus 3,release date,2025-03-04,date,2025-03-04,https://example.org/nimbus-3,
Nimbus 3,Arcbench Pro score,71.4,percent,2025-03-04,https://example.org/nimbus-3,
Nimbus 3,Arcbench Lite score,80.2,percent,2025-03-04,https://example.org/nimbus-3,
Nimbus 3,input price per 1M tokens,3.00,USD,2025-03-04,https://example.org/pricing,
Nimbus 3,output price per 1M tokens,12.00,USD,2025-03-04,https://example.org/pricing,
Nimbus 3,context window,262144,tokens,2025-03-04,https://example.org/nimbus-3,
Nimbus 3,total parameters,400,billion parameters,2025-03-04,https://example.org/card,
Nimbus 3,active parameters,40,billion parameters,2025-03-04,https://example.org/card,
Nimbus 3,training GPU hours,4.1,million GPU hours,2025-03-04,https://example.org/card,
Nimbus 3,training cost,8.2,million USD,2025-03-04,https://example.org/card,
Kestrel Board 2,minimum RAM capacity,2,GB,2024-06,https://example.org/kestrel,
Kestrel Board 2,maximum RAM capacity,16,GB,2024-06,https://example.org/kestrel,
Kestrel Board 2,CPU max clock,3.1,GHz,2024-06,https://example.org/kestrel,
Kestrel Board 2,process node,5,nm,2024-06,https://example.org/kestrel,
Kestrel Board 2,USB 3.0 ports,4,count,2024-06,https://example.org/kestrel,
Kestrel Board 2,performance uplift vs Kestrel Board 1,3,x,2024-06,https://example.org/kestrel,
KX900,memory interface width,64,bit,2024-06,https://example.org/kestrel,
KX900,L3 cache,8,MB,2024-06,https://example.org/kestrel,
Orca 2,training GPU hours,9.5,million GPU hours,2024-09,https://example.org/orca,
Kestrel Board 2 Mini,weight,45,g,2024-06,https://example.org/kestrel-mini,
Kestrel Board 2,weight,62,g,2024-06,https://example.org/kestrel,
Kestrel Board 2,US launch price (4GB),99,USD,2024-06,https://example.org/kestrel,
Nimbus 3,Quickmark multi-core score,1450,points,2025-03-04,https://example.org/nimbus-3,
Orca 2,Arcbench Pro score,65.0,percent,2025-03-04,https://example.org/nimbus-3,
Kestrel Board 2,revenue Q4 FY2024,120,million USD,2024-11,https://example.org/results,
Kestrel Board 2,revenue Q3 FY2024,100,million USD,2024-08,https://example.org/results,
Brightwater Labs,revenue (Q2 FY2026),812,million USD,2026-02-10,https://example.org/bw-q2,
Brightwater Labs,revenue (Q2 FY2025),700,million USD,2025-02-11,https://example.org/bw-q2-2025,
Brightwater Labs,revenue growth year over year (Q2 FY2026),16,percent,2026-02-10,https://example.org/bw-q2,
Brightwater Labs,cloud segment revenue (Q2 FY2026),300,million USD,2026-02-10,https://example.org/bw-q2,
Brightwater Labs,cloud segment revenue growth year over year (Q2 FY2026),25,percent,2026-02-10,https://example.org/bw-q2,
Brightwater Labs,GAAP gross margin (Q2 FY2026),48.0,percent,2026-02-10,https://example.org/bw-q2,
Brightwater Labs,non-GAAP gross margin (Q2 FY2026),51.5,percent,2026-02-10,https://example.org/bw-q2,
Quillon 2,input price per 1M tokens,1.00,USD,2025-05-01,https://example.org/quillon-pricing,
Quillon 2,output price per 1M tokens,4.00,USD,2025-05-01,https://example.org/quillon-pricing,
Quillon 2,cached input price per 1M tokens,0.25,USD,2025-05-01,https://example.org/quillon-pricing,
Quillon 2,context window,131072,tokens,2025-05-01,https://example.org/quillon,
Pellucid 7,display size (diagonal),6.1,in,2025-09-09,https://example.org/pellucid-7,
Pellucid 7,thickness,7.9,mm,2025-09-09,https://example.org/pellucid-7,
Pellucid 7,height,147,mm,2025-09-09,https://example.org/pellucid-7,
Pellucid 7,US availability date,2025-09-19,date,2025-09-09,https://example.org/pellucid-7,
Pellucid 7,US launch price (128GB),699,USD,2025-09-09,https://example.org/pellucid-7,
Pellucid 7,US launch price (256GB),799,USD,2025-09-09,https://example.org/pellucid-7,
Pellucid 7,width,71,mm,2025-09-09,https://example.org/pellucid-7,
Pellucid 7,pixel density,460,ppi,2025-09-09,https://example.org/pellucid-7,
Pellucid 6,release date,2024-09-20,date,2024-09-20,https://example.org/pellucid-6,
Brightwater Labs,revenue guidance Q3 FY2026 (low end),850,million USD,2026-02-10,https://example.org/bw-q2,
Brightwater Labs,revenue guidance Q3 FY2026 (high end),870,million USD,2026-02-10,https://example.org/bw-q2,
Brightwater Labs,full-year FY2026 revenue guidance (raised February 2026),3.4,billion USD,2026-02-10,https://example.org/bw-q2,
Brightwater Labs,full-year FY2026 revenue guidance (previous November 2025),3.3,billion USD,2025-11-12,https://example.org/bw-q1,
Corvid Systems,revenue (Q1 FY2026),500,million USD,2026-01-20,https://example.org/corvid-q1,
Corvid Systems,revenue growth year over year (Q1 FY2026),9,percent,2026-01-20,https://example.org/corvid-q1,
Glowbar 2,color temperature (minimum),2700,K,2025-01-05,https://example.org/glowbar,
Glowbar 2,color temperature (maximum),6500,K,2025-01-05,https://example.org/glowbar,
Vanta 3,total board power,300,W,2025-05-01,https://example.org/vanta-3,
Vanta 3,idle power,15,W,2025-05-01,https://example.org/vanta-3,
Vanta 3,DisplayPort 2.1 outputs,3,count,2025-05-01,https://example.org/vanta-3,
Vanta 3,Bench 9 score,12400,points,2025-05-01,https://example.org/vanta-3,
Ridge 7,total board power,250,W,2025-03-01,https://example.org/ridge-7,
Streamly Plus,monthly subscription price (US),12.99,USD,2025-07-01,https://example.org/streamly,,2025-07-01,
Streamly Plus,monthly subscription price (US),10.99,USD,2024-07-01,https://example.org/streamly-2024,,,2025-07-01
Streamly Plus,annual plan price (US),119,USD,2025-07-01,https://example.org/streamly,,,
Brightwater Labs,GAAP diluted EPS (Q2 FY2026),0.91,USD,2026-02-10,https://example.org/bw-q2,,,
Brightwater Labs,non-GAAP diluted EPS (Q2 FY2026),1.04,USD,2026-02-10,https://example.org/bw-q2,,,
Brightwater Labs,GAAP gross margin (Q2 FY2025),46.1,percent,2025-02-11,https://example.org/bw-q2-2025,,,
Kestrel Board 2,max memory speed (LPDDR5),6400,MT/s,2024-06,https://example.org/kestrel,,,
Kestrel Board 2,CPU core count,8,cores,2024-06,https://example.org/kestrel,,,
Kestrel Board 2,thread count,16,count,2024-06,https://example.org/kestrel,,,
Quillon 2 Max,context window,1048576,tokens,2025-05-01,https://example.org/quillon-max,,,
Tollan Roam X,weight,700,g,2025-03-01,https://example.org/tollan,,,
Tollan Roam X,release date,2025-03-12,date,2025-03-01,https://example.org/tollan,,,
Sable 9,rated endurance (1TB),600,TBW,2025-04-01,https://example.org/sable-9,,,
Sable 9,rated endurance (2TB),1200,TBW,2025-04-01,https://example.org/sable-9,,,
Sable 9,sequential write speed (1TB),9000,MB/s,2025-04-01,https://example.org/sable-9,,,
Sable 9,sequential write speed (2TB),11000,MB/s,2025-04-01,https://example.org/sable-9,,,
Sable 9,NAND layer count,232,layers,2025-04-01,https://example.org/sable-9,,,
"""


def _padded(rows: str) -> str:
    """Rows written without the two validity columns get them, empty."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in csv.reader(io.StringIO(rows)):
        writer.writerow(row + [""] * (9 - len(row)))
    return out.getvalue()


FACTS = _padded(_FACT_ROWS)
ALIASES = """entity,alias
Nimbus 3,Nimbus-3
Kestrel Board 2,Kestrel 2
Brightwater Labs,Brightwater
"""


@pytest.fixture(scope="session")
def sample_csvs(tmp_path_factory):
    d = tmp_path_factory.mktemp("csv")
    (d / "facts.csv").write_text(FACTS, encoding="utf-8")
    (d / "aliases.csv").write_text(ALIASES, encoding="utf-8")
    return d


@pytest.fixture(scope="session")
def sample_db(sample_csvs, tmp_path_factory):
    from factdesk.store import ReferenceStore

    path = tmp_path_factory.mktemp("db") / "ref.db"
    store = ReferenceStore.open(path, create=True)
    store.import_csv(sample_csvs / "facts.csv")
    store.import_csv(sample_csvs / "aliases.csv")
    store.close()
    return path


@pytest.fixture(scope="session")
def checker(sample_db):
    from factdesk.check import Checker
    from factdesk.store import ReferenceStore

    return Checker(ReferenceStore.open(sample_db))


@pytest.fixture()
def verdict_of(checker):
    """The verdict on the claim whose text contains `needle` in `text`."""
    def run(text, needle):
        report = checker.check_text(text)
        hits = [v for v in report.verdicts if needle in v.claim.text or v.claim.text in needle]
        assert hits, f"no claim for {needle!r}; claims: {[v.claim.text for v in report.verdicts]}"
        return hits[0]
    return run
