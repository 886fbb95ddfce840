"""The annotated HTML report: escaping, links, counts, metadata (articles and facts written for these tests)."""
import dataclasses
import json
import re

import pytest

from factdesk.html_report import ReportMeta, render_html, safe_link
from factdesk.report import report_dict
from factdesk.store import ReferenceStore

HOSTILE_FACTS = """entity,attribute,value,unit,as_of,source_url,note
Nimbus 3,Arcbench Pro score,71.4,percent,2025-03-04,"https://example.org/a""><script>alert('url')</script>",
Nimbus 3,"context window <img src=x onerror=alert(1)>",262144,tokens,2025-03-04,https://example.org/b?x=1&y=<b>,
"""

ARTICLE = ("<script>alert('article')</script> Nimbus 3 scored 71.4 percent on Arcbench Pro, "
           "and its context window <img src=x onerror=alert(1)> holds 262,144 tokens. "
           "It costs \"$4\" per million input tokens according to a 'leak'.")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, checker):
    from factdesk.check import Checker

    d = tmp_path_factory.mktemp("hostile")
    (d / "facts.csv").write_text(HOSTILE_FACTS, encoding="utf-8")
    store = ReferenceStore.open(d / "h.db", create=True)
    store.import_csv(d / "facts.csv")
    report = Checker(store).check_text(ARTICLE, source="drafts/<b>bold</b>.txt")
    meta = ReportMeta.now(report.model, d / "h.db", store.fingerprint())
    return report, meta


def test_article_and_fact_text_is_never_markup(hostile):
    report, meta = hostile
    page = render_html(report, meta)
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&#39;article&#39;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    # the attribute-breaking quote in a source URL stays inside the href value
    assert 'href="https://example.org/a&#34;&gt;&lt;script&gt;' in page
    # the one script is the page's own (it keeps notes on screen); nothing from the article runs
    scripts = re.findall(r"<script(?: [^>]*)?>(.*?)</script>", page, re.S)
    assert len(scripts) == 1 and "alert" not in scripts[0] and "querySelectorAll" in scripts[0]


def test_only_http_links_become_links(hostile):
    report, meta = hostile
    v = next(v for v in report.verdicts if v.fact is not None)
    evil = dataclasses.replace(v, fact=dataclasses.replace(v.fact, source_url="javascript:alert(document.cookie)"))
    page = render_html(dataclasses.replace(report, verdicts=(evil,)), meta)
    assert 'href="javascript:' not in page and "javascript:alert(document.cookie)" in page
    assert safe_link("javascript:alert(1)") is None and safe_link("data:text/html,x") is None
    assert safe_link("//example.org/x") is None and safe_link("https://example.org/x") == "https://example.org/x"


def test_counts_marks_and_table_agree_with_the_json(checker):
    text = ("Nimbus 3 scored 71.4 percent on Arcbench Pro and 80.2 percent on Arcbench Lite. "
            "It costs $5 per million input tokens and $12 per million output tokens. Zephyr 7 has 12 experts.")
    report = checker.check_text(text, source="nimbus.txt")
    page = render_html(report, ReportMeta.now(report.model, "ref.db", "abc123"))
    summary = report_dict(report)["summary"]
    for kind, n in summary.items():
        assert re.search(rf'<li class="{kind}"><span class="n">{n}</span>', page)
        assert page.count(f'<span class="claim {kind}"') == n
    assert page.count("<tr><td><a href=\"#claim-") == len(report.verdicts) == sum(summary.values())
    assert summary["conflicting"] >= 1 and summary["verified"] >= 2


def test_metadata_and_self_containment(checker):
    report = checker.check_text("Nimbus 3 scored 71.4 percent on Arcbench Pro.", source="a.txt")
    meta = ReportMeta.now(report.model, "/data/ref.db", "f00dfeed")
    page = render_html(report, meta)
    for needle in (meta.factdesk_version, report.model, "/data/ref.db", "f00dfeed", meta.checked_at):
        assert needle in page
    # no network: no external stylesheets, scripts, fonts or images
    assert not re.search(r'<(?:link|img|script|iframe)[^>]+(?:src|href)=', page)
    assert "@import" not in page and "url(" not in page


def test_claimreview_blocks_are_valid_json_and_cannot_close_the_script(hostile):
    report, meta = hostile
    page = render_html(report, meta, claimreview=True)
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    judged = [v for v in report.verdicts if v.kind.value != "unverified"]
    # an unverified claim was reviewed against nothing: it gets no ClaimReview
    assert judged and len(blocks) == len(judged) < len(report.verdicts)
    for b, v in zip(blocks, judged):
        obj = json.loads(b)
        assert obj["@type"] == "ClaimReview"
        assert obj["reviewRating"]["alternateName"] == {"verified": "Accurate", "conflicting": "Inaccurate"}[v.kind.value]
        # the file's name, not its folder ("drafts/<b>bold</b>.txt" is a folder "drafts/<b>bold<" and "b>.txt")
        assert obj["itemReviewed"]["appearance"]["name"] == "b>.txt"
        assert "url" not in obj["itemReviewed"]["appearance"]                    # a file has no web address
        assert "<" not in b


def test_reports_say_which_day_the_facts_were_chosen_for(checker, sample_db):
    from factdesk.check import Checker

    dated = "Nimbus news\nBy A. Writer | March 10, 2025\n\nNimbus 3 scored 71.4 percent on Arcbench Pro.\n"
    report = checker.check_text(dated, source="dated.txt")
    assert (report.as_of, report.as_of_basis) == ("2025-03-10", "dateline")
    data = report_dict(report)
    assert (data["as_of"], data["as_of_basis"]) == ("2025-03-10", "dateline")
    page = render_html(report, ReportMeta.now(report.model, sample_db, "f00d"))
    assert "<dt>Facts valid on</dt><dd>2025-03-10 (the article&#39;s dateline)</dd>" in page
    assert str(sample_db.resolve()) in page                       # the database as an absolute path
    asked = Checker(checker.store, as_of="2025-06-01").check_text(dated)
    assert (asked.as_of, asked.as_of_basis) == ("2025-06-01", "given")


def test_reference_units_read_like_claim_units(checker):
    report = checker.check_text("Nimbus 3 scored 71.4 percent on Arcbench Pro and costs $3 per million "
                                "input tokens.")
    claims = report_dict(report)["claims"]
    assert [(c["unit"], c["reference"]["unit"]) for c in claims] == [("%", "%"), ("USD/1M token", "USD/1M token")]
    assert claims[0]["reference"]["unit_as_stored"] == "percent"


def test_a_verified_claim_with_a_disagreeing_source_is_flagged(tmp_path):
    from factdesk.check import Checker

    (tmp_path / "f.csv").write_text(
        "entity,attribute,value,unit,as_of,source_url,note\n"
        "Tarn 4,battery capacity,5000,mAh,2025-01-10,https://example.org/tarn-spec,\n"
        "Tarn 4,battery capacity,4800,mAh,2025-02-01,https://example.org/tarn-teardown,\n", encoding="utf-8")
    store = ReferenceStore.open(tmp_path / "t.db", create=True)
    store.import_csv(tmp_path / "f.csv")
    report = Checker(store).check_text("The Tarn 4 has a 5,000mAh battery, its maker says.", source="tarn.txt")
    (v,) = report.verdicts
    assert v.kind.value == "verified" and v.disputed
    assert "Another source gives 4800 mAh" in v.explanation
    assert report_dict(report)["claims"][0]["disputed"] is True
    page = render_html(report, ReportMeta.now(report.model, tmp_path / "t.db", store.fingerprint()))
    assert "sources disagree" in page and "✓*1" in page
