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
    assert "<script" not in page.replace('<script type="application/ld+json">', "")


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
    assert len(blocks) == len(report.verdicts)
    for b in blocks:
        obj = json.loads(b)
        assert obj["@type"] == "ClaimReview" and obj["reviewRating"]["alternateName"]
        assert "<" not in b
