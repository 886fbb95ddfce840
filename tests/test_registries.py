"""Registry importers: each on a small file written here in the registry's own format, on the pinned snapshots
for counts, on bad input; the trust tier of registry facts; and the shipped database they build."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from factdesk.check import Checker
from factdesk.errors import ImportFormatError
from factdesk.registries import parse_registry, registry_files
from factdesk.shipped import pinned_registries
from factdesk.store import ReferenceStore

REPO = Path(__file__).resolve().parent.parent


def facts_of(files, fmt, as_of="2026-01-15"):
    parsed = parse_registry(files, fmt, as_of)
    assert not [r.problem for p in parsed for r in p.rows if r.problem]
    return ({(r.record["entity"], r.record["attribute"]): r.record for r in parsed[0].rows},
            {(r.record["entity"], r.record["alias"]) for r in parsed[1].rows}, parsed)


LITELLM = {
    "sample_spec": {"input_cost_per_token": 0.0, "litellm_provider": "one of ...", "mode": "one of ..."},
    "gpt-4o": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2.5e-06,
               "output_cost_per_token": 1e-05, "cache_read_input_token_cost": 1.25e-06, "max_input_tokens": 128000,
               "max_output_tokens": 16384, "source": "https://openai.com/api/pricing/"},
    "gpt-4o-2024-08-06": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2.5e-06,
                          "output_cost_per_token": 1e-05, "max_input_tokens": 128000, "max_output_tokens": 16384},
    "gpt-4o-2024-05-13": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 5e-06,
                          "output_cost_per_token": 1.5e-05, "max_input_tokens": 128000, "max_output_tokens": 4096},
    "azure/gpt-4o": {"litellm_provider": "azure", "mode": "chat", "input_cost_per_token": 2.75e-06},
    "claude-3-5-sonnet-20241022": {"litellm_provider": "anthropic", "mode": "chat", "input_cost_per_token": 3e-06,
                                   "output_cost_per_token": 1.5e-05, "max_input_tokens": 200000,
                                   "deprecation_date": "2025-10-22"},
    "ft:gpt-4o-2024-08-06": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 3.75e-06},
    "dall-e-3": {"litellm_provider": "openai", "mode": "image_generation", "output_cost_per_image": 0.04},
    "gemini/gemini-2.5-flash": {"litellm_provider": "gemini", "mode": "chat", "input_cost_per_token": 3e-07,
                                "max_input_tokens": 1048576, "max_output_tokens": 65535},
}


def test_litellm_first_party_prices_windows_and_snapshots():
    facts, aliases, parsed = facts_of([("prices.json", json.dumps(LITELLM))], "litellm")
    gpt = {a: (r["value"], r["unit"]) for (e, a), r in facts.items() if e == "GPT-4o"}
    assert gpt["input price per 1M tokens"] == ("2.5", "USD")          # 2.5e-06 per token, without float dust
    assert gpt["output price per 1M tokens"] == ("10", "USD")
    assert gpt["cached input price per 1M tokens"] == ("1.25", "USD")
    assert gpt["context window"] == ("128000", "tokens")
    # the older snapshot's own price stays, under a name that says which snapshot
    assert gpt["input price per 1M tokens (snapshot gpt-4o-2024-05-13)"] == ("5", "USD")
    assert gpt["max output tokens (snapshot gpt-4o-2024-05-13)"] == ("4096", "tokens")
    assert ("GPT-4o", "gpt-4o-2024-08-06") in aliases and ("GPT-4o", "gpt-4o-2024-05-13") in aliases
    # a host's price and a fine-tune's are not the model's price
    assert not any("2.75" == r["value"] or "3.75" == r["value"] for r in facts.values())
    # whole numbers exactly, never rounded to six digits ("1048576", not "1048580")
    assert facts[("Gemini 2.5 Flash", "context window")]["value"] == "1048576"
    assert facts[("Gemini 2.5 Flash", "input price per 1M tokens")]["value"] == "0.3"
    claude = facts[("Claude 3.5 Sonnet", "deprecation date")]
    assert claude["value"] == "2025-10-22" and claude["unit"] == "date"
    assert facts[("GPT-4o", "input price per 1M tokens")]["source_url"] == "https://openai.com/api/pricing/"
    # without a source of its own, an entry cites the registry snapshot
    assert facts[("Claude 3.5 Sonnet", "input price per 1M tokens")]["source_url"].startswith("https://")
    assert parsed[0].origin == "LiteLLM registry" and all(r.record["as_of"] == "2026-01-15" for r in parsed[0].rows)


EPOCH_MMLU = """\ufeffid,Name,EM,Model version,Shots,Source,Source link,Notes
rec1,Orca Large,77.0%,orca-large-2025-01-10,5,Stanford CRFM Leaderboard,https://crfm.example.org/mmlu,
rec2,Orca Large,81.2%,orca-large-2025-01-10,0,Vendor report,https://orca.example.org/report,
rec3,Tern 2,70.8%,tern-2,5,Stanford CRFM Leaderboard,https://crfm.example.org/mmlu,
"""
EPOCH_VERSIONS = """id,Model,Version release date,Hugging Face developer id,Link,Notes
orca-large-2025-01-10,Orca Large,2025-01-10,,https://orca.example.org/launch,
"""


def test_epoch_benchmarks_keep_the_setting_in_the_attribute():
    files = [("data/external_benchmark_mmlu.csv", EPOCH_MMLU), ("data/model_versions.csv", EPOCH_VERSIONS)]
    facts, aliases, _ = facts_of(files, "epoch-benchmarks")
    assert facts[("Orca Large", "MMLU score (5-shot)")]["value"] == "77"
    assert facts[("Orca Large", "MMLU score (0-shot)")]["value"] == "81.2"       # never mixed with the 5-shot
    assert facts[("Orca Large", "MMLU score (5-shot)")]["unit"] == "%"
    assert facts[("Orca Large", "release date")]["value"] == "2025-01-10"
    assert facts[("Tern 2", "MMLU score (5-shot)")]["source_url"] == "https://crfm.example.org/mmlu"
    assert ("Orca Large", "orca-large-2025-01-10") in aliases


EPOCH_MODELS = """Model,Organization,Publication date,Link,Parameters,Parameters notes,Confidence,Hardware quantity,Training hardware
Tern 2,Tern Labs,2024-11-02,https://tern.example.org/tern-2,70000000000.0,70B per the model card,Confident,2048.0,NVIDIA H100 SXM5 80GB
Rumour-1,Gossip AI,2024-05-01,https://gossip.example.org,1800000000000.0,Estimated from leaked reports,Speculative,,
"""


def test_epoch_models_leave_guessed_parameter_counts_out():
    facts, _, _ = facts_of([("All ML Systems - full view.csv", EPOCH_MODELS)], "epoch-models")
    assert facts[("Tern 2", "total parameters")]["value"] == "70"
    assert facts[("Tern 2", "total parameters")]["unit"] == "billion parameters"
    assert facts[("Tern 2", "training hardware quantity")]["value"] == "2048"
    assert facts[("Rumour-1", "release date")]["value"] == "2024-05-01"
    assert ("Rumour-1", "total parameters") not in facts


CPU = {"cores": {"total": 8, "performance": 0, "threads": 16, "efficiency": 0},
       "clocks": {"performance": {"base": 4.5, "boost": 5.4}, "efficiency": {"base": 0, "boost": 0}},
       "cache": {"l2": 8, "l3": 32}, "specifications": {"tdp": 105, "memory": {"maxSupport": 128, "channels": 2}},
       "metadata": {"name": "AMD Ryzen™ 7 7700X", "manufacturer": "AMD", "releaseYear": 2022},
       "general_product_information": {"manufacturer_url": "https://www.amd.com/en/products/7700x.html"}}


def test_buildcores_cpus_named_as_their_makers_write_them():
    tray = {**CPU, "metadata": {"name": "Intel Core i9 9820X 3.3 GHz 10-Core LGA2066", "manufacturer": "Intel"},
            "general_product_information": {}}
    facts, aliases, _ = facts_of([("7700x.json", json.dumps(CPU)), ("9820x.json", json.dumps(tray))], "buildcores")
    assert facts[("AMD Ryzen 7 7700X", "max boost clock")]["value"] == "5.4"
    assert facts[("AMD Ryzen 7 7700X", "L3 cache")]["unit"] == "MB"
    assert facts[("AMD Ryzen 7 7700X", "release date")]["value"] == "2022"
    assert ("AMD Ryzen 7 7700X", "efficient cores") not in facts           # 0 means none, not a figure
    assert ("AMD Ryzen 7 7700X", "Ryzen 7 7700X") in aliases
    assert ("Intel Core i9-9820X", "threads") in facts
    assert facts[("Intel Core i9-9820X", "threads")]["source_url"].startswith("https://github.com/")


GPUS = {"AD102-300": {"Model name": "GeForce RTX 4090", "Launch": "2022-10-12 00:00:00", "Vendor": "NVIDIA",
                      "Core config": "16384:512 :176:512:128 (128) (11)", "Memory Bandwidth (GB/s)": 1008,
                      "TDP (Watts)": 450, "Release price (USD) MSRP": "$1599",
                      "Processing power (TFLOPS) Single precision": "73.1 82.6", "Memory Size (GiB)": 24},
        "Navi 31": {"Model name": "Radeon RX 7900 XTX", "Vendor": "AMD", "Core config": "6144:384:192",
                    "Release Price (USD)": "¥7,999", "TBP": 355}}


def test_gpu_info_reads_one_number_per_cell_and_cites_the_list_page():
    facts, _, _ = facts_of([("gpu.json", json.dumps(GPUS))], "gpu-info")
    assert facts[("GeForce RTX 4090", "launch price")]["value"] == "1599"
    assert facts[("GeForce RTX 4090", "CUDA cores")]["value"] == "16384"
    assert facts[("GeForce RTX 4090", "release date")]["value"] == "2022-10-12"
    assert facts[("Radeon RX 7900 XTX", "stream processors")]["value"] == "6144"
    assert facts[("Radeon RX 7900 XTX", "total board power")]["value"] == "355"
    assert ("Radeon RX 7900 XTX", "launch price") not in facts             # a yuan price is not USD
    assert not any(a.startswith("Processing power") for _, a in facts)      # "73.1 82.6" is two numbers
    assert facts[("GeForce RTX 4090", "TDP")]["source_url"].endswith("List_of_Nvidia_graphics_processing_units")


DEVICE_YML = """architecture: arm64
battery: {capacity: 4500, removable: false, tech: 'Li-Po'}
codename: nx659j
dimensions: {depth: 9.8, height: 168.6, width: 78}
name: Red Magic 5S
ram: 8/12/16 GB LPDDR5
release: 2020-08
screen: {refresh_rate: 144, resolution: '1080x2340', size: 6.65, technology: 'AMOLED'}
storage: 128/256 GB UFS3.1
vendor: Nubia
"""


def test_lineage_devices_with_ranges_of_options():
    facts, aliases, _ = facts_of([("nx659j.yml", DEVICE_YML)], "lineage")
    device = {a: r["value"] for (e, a), r in facts.items() if e == "Nubia Red Magic 5S"}
    assert device == {"release date": "2020-08", "battery capacity": "4500", "screen size": "6.65",
                      "refresh rate": "144", "height": "168.6", "width": "78", "thickness": "9.8",
                      "minimum RAM": "8", "maximum RAM": "16", "minimum storage": "128", "maximum storage": "256"}
    assert facts[("Nubia Red Magic 5S", "battery capacity")]["source_url"] == "https://wiki.lineageos.org/devices/nx659j/"
    assert ("Nubia Red Magic 5S", "Red Magic 5S") in aliases


COMPANY = {"cik": 1234567, "entityName": "Quorra Systems, Inc.", "facts": {"us-gaap": {
    "RevenueFromContractWithCustomerExcludingAssessedTax": {"units": {"USD": [
        # the 10-Q for the quarter to 2025-06-28, with last year's quarter beside it for comparison
        {"start": "2025-03-30", "end": "2025-06-28", "val": 9212000000, "accn": "0001234567-25-000031",
         "fy": 2025, "fp": "Q2", "form": "10-Q", "filed": "2025-07-30"},
        {"start": "2024-03-31", "end": "2024-06-29", "val": 7010000000, "accn": "0001234567-25-000031",
         "fy": 2025, "fp": "Q2", "form": "10-Q", "filed": "2025-07-30"},
        # six months to date: neither a quarter nor a year
        {"start": "2024-12-29", "end": "2025-06-28", "val": 17900000000, "accn": "0001234567-25-000031",
         "fy": 2025, "fp": "Q2", "form": "10-Q", "filed": "2025-07-30"},
        {"start": "2023-12-31", "end": "2024-12-28", "val": 31000000000, "accn": "0001234567-25-000007",
         "fy": 2024, "fp": "FY", "form": "10-K", "filed": "2025-02-14"}]}},
    "EarningsPerShareDiluted": {"units": {"USD/shares": [
        {"start": "2025-03-30", "end": "2025-06-28", "val": 1.42, "accn": "0001234567-25-000031",
         "fy": 2025, "fp": "Q2", "form": "10-Q", "filed": "2025-07-30"}]}}}}}


def test_edgar_company_facts_read_the_filings_own_period():
    facts, aliases, _ = facts_of([("CIK0001234567.json", json.dumps(COMPANY))], "edgar")
    assert facts[("Quorra Systems", "revenue (Q2 2025)")]["value"] == "9212"
    assert facts[("Quorra Systems", "revenue (Q2 2025)")]["unit"] == "million USD"
    assert facts[("Quorra Systems", "revenue (2024)")]["value"] == "31000"
    assert facts[("Quorra Systems", "GAAP diluted EPS (Q2 2025)")]["value"] == "1.42"
    assert facts[("Quorra Systems", "revenue (Q2 2025)")]["source_url"] == \
        "https://www.sec.gov/Archives/edgar/data/1234567/000123456725000031/"
    assert len([a for e, a in facts if a.startswith("revenue")]) == 2     # no comparative, no six months
    assert ("Quorra Systems", "Quorra Systems, Inc.") in aliases


@pytest.mark.parametrize("fmt,least", [("litellm", 1000), ("epoch-benchmarks", 2000), ("epoch-models", 3000),
                                       ("buildcores", 5000), ("gpu-info", 5000), ("lineage", 5000)])
def test_pinned_snapshots_read_in_full(fmt, least):
    reg = next(r for r in pinned_registries() if r.format == fmt)
    parsed = parse_registry(registry_files(reg.path, fmt), fmt, reg.as_of, reg.url)
    rows = parsed[0].rows
    assert len(rows) >= least and not [r for r in rows if r.problem]
    assert all(r.record["source_url"].startswith(("http://", "https://")) for r in rows)


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "factdesk.cli", *args], capture_output=True, text=True, cwd=REPO,
                          timeout=300)


def test_bad_registry_input_imports_nothing(tmp_path):
    db = tmp_path / "mine.db"
    wrong = {**LITELLM, "gpt-4o": {**LITELLM["gpt-4o"], "input_cost_per_token": "two dollars"}}
    (tmp_path / "wrong.json").write_text(json.dumps(wrong))
    res = run_cli("db", "import", str(tmp_path / "wrong.json"), "--format", "litellm", "--db", str(db))
    assert res.returncode == 2 and "[FD305]" in res.stderr and "input_cost_per_token is 'two dollars'" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr and not db.exists()

    (tmp_path / "cpu.json").write_text(json.dumps([CPU, {"cores": {"total": 4}}]))      # no metadata.name
    res = run_cli("db", "import", str(tmp_path / "cpu.json"), "--format", "buildcores", "--db", str(db))
    assert res.returncode == 2 and "no metadata.name" in res.stderr and not db.exists()

    (tmp_path / "huge.json").write_text("{" + " " * (50 * 1024 * 1024) + "}")
    res = run_cli("db", "import", str(tmp_path / "huge.json"), "--format", "litellm", "--db", str(db))
    assert res.returncode == 2 and "[FD314]" in res.stderr and not db.exists()

    res = run_cli("db", "import", str(tmp_path / "cpu.json"), "--format", "crunchbase", "--db", str(db))
    assert res.returncode == 2 and "[FD313]" in res.stderr and "litellm" in res.stderr


def test_registry_import_is_idempotent_and_previewed(tmp_path):
    db = tmp_path / "mine.db"
    (tmp_path / "prices.json").write_text(json.dumps(LITELLM))
    first = run_cli("db", "import", str(tmp_path / "prices.json"), "--format", "litellm", "--db", str(db))
    assert first.returncode == 0 and " facts added" in first.stdout
    again = run_cli("db", "import", str(tmp_path / "prices.json"), "--format", "litellm", "--db", str(db), "--dry-run")
    assert again.returncode == 0 and "0 new, 0 updated" in again.stdout
    stats = run_cli("db", "stats", "--db", str(db))
    assert "LiteLLM registry" in stats.stdout and "AI models" in stats.stdout


PRIMARY = """entity,attribute,value,unit,as_of,source_url,note
GPT-4o,input price per 1M tokens,2.50,USD,2024-08-06,https://openai.com/api/pricing/,
"""


def test_a_registry_never_accuses_what_a_primary_source_states(tmp_path):
    store = ReferenceStore.open(tmp_path / "tiers.db", create=True)
    store.import_text(PRIMARY, name="primary.csv")
    registry = {"gpt-4o": {**LITELLM["gpt-4o"], "input_cost_per_token": 5e-06}}    # a stale registry price
    store.import_many(parse_registry([("prices.json", json.dumps(registry))], "litellm", "2026-01-15"))
    checker = Checker(store, as_of="2026-02-01")
    report = checker.check_text("OpenAI charges $2.50 per million input tokens for GPT-4o, its flagship model.")
    price = next(v for v in report.verdicts if v.claim.quantity.value == 2.5)
    assert price.kind.value == "verified" and price.fact.origin == ""

    only = ReferenceStore.open(tmp_path / "registry.db", create=True)
    only.import_many(parse_registry([("prices.json", json.dumps(LITELLM))], "litellm", "2026-01-15"))
    report = Checker(only, as_of="2026-02-01").check_text(
        "OpenAI charges $2.50 per million input tokens for GPT-4o, its flagship model.")
    price = next(v for v in report.verdicts if v.claim.quantity.value == 2.5)
    assert price.kind.value == "verified" and "per the LiteLLM registry" in price.explanation


def test_the_shipped_database_knows_the_beat():
    store = ReferenceStore.open(REPO / "claims.db", read_only=True)
    stats, parts = store.stats(), store.breakdown()
    assert stats.facts >= 10_000 and stats.entities >= 1_500
    assert dict(parts.by_origin)["primary sources"] >= 300
    assert not store.db.execute("select count(*) from facts where source_url not like 'http://%' and "
                                "source_url not like 'https://%'").fetchone()[0]
    beats = dict(parts.by_beat)
    assert min(beats.get(b, 0) for b in ("AI models", "chips and devices", "company results")) >= 100


def test_a_registry_copy_of_a_primary_fact_does_not_dilute_it(tmp_path):
    store = ReferenceStore.open(tmp_path / "copies.db", create=True)
    store.import_text(PRIMARY, name="primary.csv")
    store.import_many(parse_registry([("prices.json", json.dumps({"gpt-4o": LITELLM["gpt-4o"]}))], "litellm",
                                     "2026-01-15"))
    checker = Checker(store, as_of="2026-02-01")
    report = checker.check_text("GPT-4o pricing\n\nGPT-4o costs $3.50 per million input tokens.")
    price = next(v for v in report.verdicts if v.claim.quantity.value == 3.5)
    assert price.kind.value == "conflicting" and price.fact.origin == ""      # the maker's page is cited
    assert not any(f.origin and f.attribute == "input price per 1M tokens" for f, _ in price.candidates)
