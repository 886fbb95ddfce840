"""The fault suite: hostile and broken input, killed imports, concurrent writers, bad databases, hostile
report content and misbehaving servers. For each probe: the input, the code expected, and a check that
nothing was lost or half-written. `benchmarks/bench_faults.py` runs a longer variant and prints the table."""
import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = pytest.mark.faults

REPO = Path(__file__).resolve().parents[2]
FACTS = """entity,attribute,value,unit,as_of,source_url,note
Nimbus 3,Arcbench Pro score,71.4,percent,2025-03-04,https://example.org/nimbus-3,
Nimbus 3,input price per 1M tokens,3.00,USD,2025-03-04,https://example.org/pricing,
"""


def factdesk(*args, timeout=120, **kw):
    return subprocess.run([sys.executable, "-m", "factdesk.cli", *args], capture_output=True, text=True, cwd=REPO,
                          timeout=timeout, **kw)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("faults") / "ref.db"
    facts = path.with_name("facts.csv")
    facts.write_text(FACTS)
    assert factdesk("db", "import", str(facts), "--db", str(path)).returncode == 0
    return path


# --- bad drafts ---------------------------------------------------------------------------------------

def _one_line(mb: float) -> bytes:
    return (b"Nimbus 3 scored 71.4 percent on Arcbench Pro. " * int(mb * 2**20 / 47 + 1))[:int(mb * 2**20)]


DRAFTS = [
    # name, bytes, expected code (None: checked), seconds allowed
    ("one-line-2mb.txt", lambda: _one_line(2), "FD117", 10),
    ("twenty-mb.txt", lambda: _one_line(20), "FD117", 10),
    ("deep.html", lambda: b"<html><body>" + b"<div>" * 100_000 + b"<p>Nimbus 3 costs $3.</p>" + b"</div>" * 100_000
     + b"</body></html>", "FD118", 10),
    ("nul.txt", lambda: b"Nimbus 3 scored\x00 71.4 percent.\x00\x00", "FD105", 10),
    ("table-row-1mb.md", lambda: b"| Model | " + b"71.4 | " * (2**20 // 7) + b"\n", "FD117", 10),
    ("mixed.txt", lambda: "Nimbus 3 scored 71.4 percent on Arcbench Pro. ".encode() + "Price: €3 – “cheap”.".encode("cp1252"),
     "FD107", 30),
    ("many-numbers.txt", lambda: ("Nimbus 3 figures: " + ", ".join(str(i) for i in range(10_000)) + ".").encode(),
     None, 60),
]


@pytest.mark.parametrize("name,content,code,seconds", DRAFTS, ids=[d[0] for d in DRAFTS])
def test_bad_drafts_get_their_code_quickly_and_change_nothing(db, tmp_path, name, content, code, seconds):
    draft = tmp_path / name
    draft.write_bytes(content())
    before = digest(db)
    started = time.monotonic()
    r = factdesk("check", str(draft), "--db", str(db), "--format", "json", timeout=seconds + 30)
    elapsed = time.monotonic() - started
    assert elapsed < seconds, f"{name} took {elapsed:.1f}s"
    assert "Traceback" not in r.stderr and "FD900" not in r.stderr
    if code in (None, "FD107"):
        assert r.returncode in (0, 1) and '"claims"' in r.stdout
        if code:
            assert code in r.stderr
    else:
        assert r.returncode == 2 and r.stderr.strip().startswith(f"factdesk: [{code}]")
        assert len(r.stderr.strip().splitlines()) == 1
    assert digest(db) == before


def test_a_batch_skips_an_oversized_draft_with_its_code_and_goes_on(db, tmp_path):
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "a-big.txt").write_bytes(_one_line(1.5))
    (folder / "b-fine.txt").write_text("Nimbus 3 scored 71.4 percent on Arcbench Pro.")
    out = tmp_path / "out"
    r = factdesk("check", str(folder), "--db", str(db), "--out", str(out), "--format", "json")
    index = (out / "index.html").read_text()
    assert "FD117" in index and "b-fine" in index and (out / "b-fine.txt.json").exists()
    assert r.returncode == 2 and "FD117" in r.stderr and "1 could not be checked" in r.stderr


def test_a_long_draft_is_checked_in_bounded_pieces_when_allowed(db):
    from factdesk.check import WHOLE_CHARS, Checker, pieces
    from factdesk.store import ReferenceStore

    line = "Nimbus 3 scored 71.4 percent on Arcbench Pro and costs $3 per million input tokens. "
    text = line * (WHOLE_CHARS // len(line) + 200)                      # one line, no paragraph breaks
    cuts = pieces(text)
    assert all(text[e - 1] == " " for _, e in cuts[:-1])           # never inside a word or a number
    seen = []
    checker = Checker(ReferenceStore.open(db, read_only=True), max_chars=len(text) + 1)
    report = checker.conclude(checker.prepare(text, progress=lambda done, total: seen.append(done / total)))
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)
    assert sum(v.kind.value == "verified" for v in report.verdicts) >= 2 * (len(text) // len(line)) - 5
    assert all(text[v.claim.start:v.claim.end] == v.claim.text for v in report.verdicts)


# --- imports killed part-way ----------------------------------------------------------------------------

def _big_import(path: Path, n: int) -> None:
    lines = ["entity,attribute,value,unit,as_of,source_url,note"]
    lines += [f"Board {i // 50},spec {i},{i},GB,2025-01-01,https://example.org/b/{i // 50},row {i}" for i in range(n)]
    path.write_text("\n".join(lines) + "\n")


def kill_import(csv_path: Path, db_path: Path, seed: Path, rng: random.Random) -> tuple[bool, int, int]:
    """Import `csv_path` over a database seeded from `seed`, SIGKILLed at a random point: whether the file
    passes SQLite's integrity check, then the facts and the history's 'add' rows it holds."""
    assert factdesk("db", "import", str(seed), "--db", str(db_path)).returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "factdesk.cli", "db", "import", str(csv_path), "--db",
                             str(db_path)], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0.3, 1.6))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(db_path)
    try:
        ok = conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        facts = conn.execute("select count(*) from facts").fetchone()[0]
        added = conn.execute("select count(*) from history where action = 'add' and fact_id is not null").fetchone()[0]
    finally:
        conn.close()
    return ok, facts, added


def test_an_import_killed_at_any_point_leaves_all_of_it_or_none(tmp_path):
    rows = 20000
    csv_path = tmp_path / "big.csv"
    _big_import(csv_path, rows)
    seed = tmp_path / "seed.csv"
    seed.write_text(FACTS)
    rng = random.Random(7)
    for run in range(10):
        ok, facts, added = kill_import(csv_path, tmp_path / f"killed-{run}.db", seed, rng)
        assert ok
        assert facts in (2, 2 + rows), f"run {run}: {facts} facts, a half import"
        assert added == facts, "the history agrees with the facts"


# --- concurrency ------------------------------------------------------------------------------------------

_WRITER = """
import sys
from factdesk.store import ReferenceStore
store = ReferenceStore.open(sys.argv[1])
for i in range(200):
    store.add_fact({"entity": "Writer " + sys.argv[2], "attribute": f"spec {i}", "value": str(i), "unit": "GB",
                    "as_of": "2025-01-01", "source_url": "https://example.org/" + sys.argv[2]})
store.close()
"""


def test_two_writers_and_a_checker_lose_nothing_and_never_see_a_lock(db, tmp_path):
    shared = tmp_path / "shared.db"
    shared.write_bytes(db.read_bytes())
    article = tmp_path / "a.txt"
    article.write_text("Nimbus 3 scored 71.4 percent on Arcbench Pro and costs $3 per million input tokens.\n" * 20)
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, str(shared), name], cwd=REPO, stderr=subprocess.PIPE,
                                text=True) for name in ("a", "b")]
    checks = []
    while any(w.poll() is None for w in writers) or len(checks) < 2:
        checks.append(factdesk("check", str(article), "--db", str(shared), "--format", "json"))
    errors = [w.stderr.read() for w in writers]
    assert all(w.returncode == 0 for w in writers), errors
    assert all(c.returncode in (0, 1) for c in checks), [c.stderr for c in checks]
    assert not any("locked" in text for text in errors + [c.stderr for c in checks])
    conn = sqlite3.connect(shared)
    assert conn.execute("select count(*) from facts join entities on entities.id = facts.entity_id "
                        "where entities.name like 'Writer %'").fetchone()[0] == 400
    conn.close()


# --- bad databases ----------------------------------------------------------------------------------------

def _bad_databases(tmp_path: Path, good: Path) -> dict[str, Path]:
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(good.read_bytes()[:4096] + b"\x00garbage" * 2048)
    newer = tmp_path / "newer.db"
    newer.write_bytes(good.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute("insert into _sqlite_migrations (migration_set, name, applied_at) "
                 "values ('factdesk', 'm099_from_the_future', '2030-01-01')")
    conn.commit()
    conn.close()
    readonly = tmp_path / "readonly.db"
    readonly.write_bytes(good.read_bytes())
    readonly.chmod(0o444)
    return {"corrupt": corrupt, "newer": newer, "readonly": readonly}


@pytest.mark.parametrize("kind,command,code", [
    ("corrupt", "check", "FD204"), ("corrupt", "import", "FD204"),
    ("newer", "check", "FD205"), ("newer", "import", "FD205"),
    ("readonly", "import", "FD2"),
])
def test_a_bad_database_is_refused_with_its_code_and_left_untouched(db, tmp_path, kind, command, code):
    if kind == "readonly" and os.geteuid() == 0:
        pytest.skip("root writes to read-only files")
    path = _bad_databases(tmp_path, db)[kind]
    before = digest(path)
    draft = tmp_path / "a.txt"
    draft.write_text("Nimbus 3 scored 71.4 percent on Arcbench Pro.")
    facts = tmp_path / "more.csv"
    facts.write_text(FACTS.replace("71.4", "72.0"))
    r = factdesk("check", str(draft), "--db", str(path)) if command == "check" else \
        factdesk("db", "import", str(facts), "--db", str(path))
    assert r.returncode == 2 and r.stderr.startswith(f"factdesk: [{code}") and len(r.stderr.splitlines()) == 1
    assert digest(path) == before


def test_the_desktop_refuses_a_bad_database_and_keeps_its_own(qtbot, db, tmp_path):
    from PySide6.QtCore import QSettings

    from desktop.settings import DesktopSettings
    from desktop.window import MainWindow

    settings = DesktopSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings, Path(db))
    with qtbot.waitSignal(window.engineReady, timeout=60_000):
        window.show()
    try:
        for kind, path in _bad_databases(tmp_path, db).items():
            if kind == "readonly":
                continue            # reading a read-only database is fine; writing is what is refused
            before = digest(path)
            with qtbot.waitSignal(window.problem, timeout=60_000) as blocker:
                window.open_database(path)
            assert blocker.args[0].startswith("[FD2") and "\n" not in blocker.args[0]
            assert digest(path) == before
        assert Path(window.settings.database()).resolve() == Path(db).resolve()
    finally:
        window.editor.document().setModified(False)
        window.close()


# --- hostile report content --------------------------------------------------------------------------------

class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self.hrefs, self.handlers = set(), 0, [], []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.scripts += tag == "script"
        self.hrefs += [v for k, v in attrs if k in ("href", "src")]
        self.handlers += [k for k, _ in attrs if k.startswith("on")]


def test_html_export_carries_no_markup_from_the_article_or_the_facts(tmp_path):
    from factdesk.check import Checker
    from factdesk.html_report import ReportMeta, render_html
    from factdesk.store import ReferenceStore

    store = ReferenceStore.memory()
    store.import_text('entity,attribute,value,unit,as_of,source_url,note\n'
                      '"Nimbus <script>alert(1)</script>",Arcbench Pro score,71.4,percent,2025,'
                      '"https://example.org/a""><script>alert(2)</script>","<img src=x onerror=alert(3)>"\n')
    text = ('<script>alert(4)</script> "Nimbus <script>alert(1)</script>" scored 71.4 percent on Arcbench Pro. '
            'See <a href="javascript:alert(5)">this</a> and \' onmouseover=alert(6) \'.')
    report = Checker(store).check_text(text, source="<b>hostile</b>.txt")
    page = render_html(report, ReportMeta.now(report.model, "ref.db", "abc"))
    parsed = _Tags()
    parsed.feed(page)
    assert parsed.scripts == 1                                    # the report's own, nothing from input
    assert "img" not in parsed.tags and not parsed.handlers
    assert not any(h.lower().startswith(("javascript:", "data:")) for h in parsed.hrefs)
    assert "alert(" not in page.split("<script")[1].split("</script>")[0]


# --- misbehaving servers -----------------------------------------------------------------------------------

class _Server(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 - the http.server API
        if self.path.startswith("/loop"):
            self.send_response(302)
            self.send_header("Location", f"/loop{len(self.path)}")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/fifty-mb":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(50 * 16):
                    self.wfile.write(b"<p>" + b"a" * 65533 + b"</p>")
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif self.path == "/slow":
            time.sleep(3)
            self.send_response(200)
            self.end_headers()


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("path,limits,code", [
    ("/loop", {}, "FD504"),
    ("/fifty-mb", {}, "FD507"),
    ("/slow", {"read_s": 1.0}, "FD503"),
])
def test_fetch_limits_hold_each_with_its_code(server, path, limits, code):
    from factdesk.errors import FactdeskError
    from factdesk.web import FetchLimits, read_article

    started = time.monotonic()
    with pytest.raises(FactdeskError) as err:
        read_article(server + path, FetchLimits(**limits))
    assert err.value.code == code and "\n" not in str(err.value)
    assert time.monotonic() - started < 15
