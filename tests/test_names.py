"""Names the text gives, on file or not (the naming issue): a sibling variant keeps its own name, a dated
snapshot id is its model, an unknown product or company holds its own figures, and so do table rows."""
import pytest

from factdesk.verdicts import VerdictKind

V, C, U = VerdictKind.VERIFIED, VerdictKind.CONFLICTING, VerdictKind.UNVERIFIED

FACTS = """entity,attribute,value,unit,as_of,source_url,note
Vesper 2 Pro,context window,1000000,tokens,2026-02-01,https://example.org/vesper-2,
Vesper 2 Pro,input price per 1M tokens,1.25,USD,2026-02-01,https://example.org/vesper-pricing,
Vesper 2 Pro,release date,2026-02-01,date,2026-02-01,https://example.org/vesper-2,
Orca 3,input price per 1M tokens,2.50,USD,2026-01-10,https://example.org/orca-pricing,
Orca 3,output price per 1M tokens,10.00,USD,2026-01-10,https://example.org/orca-pricing,
Quorra,revenue (Q4 FY2026),94.9,billion USD,2026-01-29,https://example.org/quorra-q4,
Kite 2,release date,2025-05-01,date,2025-05-01,https://example.org/kite-2,
"""
ALIASES = """entity,alias
Orca 3,orca-3-2026-01-10
"""


@pytest.fixture(scope="module")
def checker(checker_on):
    return checker_on(FACTS, ALIASES, as_of="2026-03-01")


def verdicts(checker, text):
    return {v.claim.text: v for v in checker.check_text(text).verdicts}


def test_a_sibling_variant_is_not_its_neighbour(checker):
    vs = verdicts(checker, "Vesper 2 Flash keeps its 1 million token context window and costs $0.30 per million "
                           "input tokens.")
    window, price = vs["1 million"], vs["$0.30 per million input tokens"]
    assert window.kind is U and price.kind is U                   # not Vesper 2 Pro's, right or wrong
    assert window.entity == "Vesper 2 Flash" and not window.entity_on_file
    assert "no facts on file" in price.explanation


def test_a_dated_snapshot_id_is_its_model(checker):
    vs = verdicts(checker, "Through the API, orca-3-2026-01-10 costs $2.50 per million input tokens and $10 per "
                           "million output tokens.")
    price = vs["$2.50 per million input tokens"]
    assert price.kind is V and price.fact.entity == "Orca 3"
    assert vs["$10 per million output tokens"].kind is V


def test_a_maker_before_a_name_on_file_is_that_name(checker):
    # "Acme Kite 2" is Acme's Kite 2: the maker's word before it names no product of its own
    vs = verdicts(checker, "Acme Kite 2 was released on May 1, 2025.")
    v = vs["May 1, 2025"]
    assert v.kind is V and v.fact.entity == "Kite 2"
    # but a word before a different model number is no maker: Kite 3 is not on file
    assert verdicts(checker, "Acme Kite 3 was released on May 1, 2025.")["May 1, 2025"].kind is U


def test_a_name_keeps_its_model_number_when_its_maker_is_dropped():
    from extractors.mentions import index_names, mark_names
    from extractors.pipeline import load_pipeline

    names = [("Kite 2", "Kite 2"), ("Vesper 2 Pro", "Vesper 2 Pro")]
    nlp, _ = load_pipeline()
    index = index_names(names)
    found = {s.text: (s.label_, s.kb_id_) for s in mark_names(nlp("Acme Kite 2 and Acme Vesper 2 shipped."), index)}
    assert found["Acme Kite 2"] == ("KNOWN", "Kite 2")
    assert found["Acme Vesper 2"] == ("PRODUCT", "")           # Vesper 2 Pro's maker does not make it Vesper 2 Pro


def test_a_size_joined_by_a_hyphen_is_part_of_an_unknown_name():
    from extractors.mentions import index_names, mark_names
    from extractors.pipeline import load_pipeline

    nlp, _ = load_pipeline()
    index = index_names([("Tern2-1.5B", "Tern2-1.5B")])
    doc = nlp("Tern2-7B contains 7 billion parameters, and Tern 2 70B is larger.")
    found = {s.text: s.label_ for s in mark_names(doc, index)}
    assert found.get("Tern2-7B") == "PRODUCT"          # not "Tern2-", a stub no other name could share
    assert "Tern 2" in found and "Tern 2 70B" not in found    # a size after a space is a figure


def test_a_table_label_and_its_figure_or_a_quarter_is_no_name():
    from extractors.mentions import index_names, mark_names
    from extractors.pipeline import load_pipeline

    nlp, _ = load_pipeline()
    index = index_names([("Tern2-1.5B", "Tern2-1.5B")])
    row = {s.text for s in mark_names(nlp("Cores/Threads 24 (8+16) / 32 20 (8+12) / 28"), index)}
    assert not any("24" in name for name in row)              # "Threads 24" is a label and its value
    quarter = {s.text for s in mark_names(nlp("Nimbus said its Q4 revenue rose 5%, and Q4 margins held."), index)}
    assert "Q4" not in quarter
    assert {s.text for s in mark_names(nlp("The Galaxy Buds 3 Pro cost $249."), index)} == {"Galaxy Buds 3 Pro"}


def test_an_unknown_product_holds_its_own_figures_in_a_story_about_another(checker):
    vs = verdicts(checker, "Orca 3 launched in January at $2.50 per million input tokens.\n\n"
                           "Rival Kestrel 5 Mini costs $0.15 per million input tokens.")
    assert vs["$2.50 per million input tokens"].kind is V
    mini = vs["$0.15 per million input tokens"]
    assert mini.kind is U and mini.entity == "Kestrel 5 Mini" and mini.fact is None


def test_a_company_subject_holds_its_results_and_not_the_products(checker):
    text = ("Vesper 2 Pro review\n\nVesper 2 Pro reads a 1 million token context and costs $1.25 per million input "
            "tokens.\n\nSeparately, Nimbus Corp reported revenue of $94.9 billion for its fiscal fourth quarter.")
    vs = verdicts(checker, text)
    assert vs["1 million"].kind is V and vs["$1.25 per million input tokens"].kind is V
    revenue = vs["$94.9 billion"]
    assert revenue.kind is U and revenue.entity == "Nimbus Corp"    # not Quorra's, not Vesper's


def test_table_rows_of_unknown_products_stay_theirs(checker):
    text = ("Context windows compared\n\n"
            "| Model | Context window | Input price |\n"
            "|---|---|---|\n"
            "| Vesper 2 Pro | 1M tokens | $1.25 |\n"
            "| Vesper 2 Flash | 1M tokens | $0.30 |\n"
            "| Tern 4 | 256K tokens | $0.80 |\n")
    report = checker.check_text(text)
    rows = {}
    for v in report.verdicts:
        rows.setdefault(v.claim.text, []).append(v)
    pro, flash = rows["1M"]
    assert pro.kind is V and pro.fact.entity == "Vesper 2 Pro"
    assert flash.kind is U and flash.entity == "Vesper 2 Flash" and not flash.entity_on_file
    assert rows["$1.25"][0].kind is V
    assert all(v.kind is U and not v.entity_on_file for v in rows["$0.30"] + rows["$0.80"] + rows["256K"])
    assert {v.entity for v in rows["256K"] + rows["$0.80"]} == {"Tern 4"}


def test_a_name_on_file_with_nothing_of_the_kind_keeps_its_figure(checker):
    """Kite 2 is on file, but not its price: the sentence's price is Kite 2's, not the neighbour's."""
    vs = verdicts(checker, "Vesper 2 Pro costs $1.25 per million input tokens.\n"
                           "Kite 2, meanwhile, charges $3 per million input tokens.")
    assert vs["$1.25 per million input tokens"].kind is V
    kite = vs["$3 per million input tokens"]
    assert kite.kind is U and kite.entity == "Kite 2" and kite.fact is None
    assert "no prices or amounts on file for Kite 2" in kite.explanation


RESULTS = """entity,attribute,value,unit,as_of,source_url,note
Nimbus Corp,revenue (Q4 FY2026),94.9,billion USD,2026-01-29,https://example.org/nimbus-q4,
Nimbus Corp,Cloud segment revenue (Q4 FY2026),40.9,billion USD,2026-01-29,https://example.org/nimbus-q4,
Nimbus Corp,Cloud segment revenue growth year over year (Q4 FY2026),21,percent,2026-01-29,https://example.org/nimbus-q4,
"""


def test_a_label_taken_for_a_name_does_not_hold_the_figures_under_it(checker_on):
    """The recogniser reads a results table's "YOY" header as an organisation; a name without a model number
    may be such a label, so the fitted ranking, not the name, decides whose figure 21% is."""
    checker = checker_on(RESULTS, as_of="2026-03-01")
    text = ("Nimbus Corp beats estimates in its fiscal fourth quarter\n\n"
            "Nimbus Corp reported revenue of $94.9 billion for the fourth quarter of fiscal 2026.\n\n"
            "| Segment | Revenue | YOY |\n|---|---|---|\n| Cloud | $40.9 billion | 21% |\n"
            "| Devices | $18.2 billion | 3% |\n")
    vs = verdicts(checker, text)
    assert vs["21%"].kind is V and vs["21%"].fact.attribute.startswith("Cloud segment revenue growth")
    assert vs["3%"].kind is U                                     # nothing on file for Devices


SIBLINGS = """entity,attribute,value,unit,as_of,source_url,note
Tern2-1.5B,total parameters,1.54,billion parameters,2026-01-10,https://example.org/tern2,
Tern2-1.5B,MMLU score (5-shot),56.5,%,2026-01-10,https://example.org/tern2,
Tern2-1.5B,C-Eval score (5-shot),70.6,%,2026-01-10,https://example.org/tern2,
"""


def test_a_name_not_on_file_holds_figures_its_sentence_gives_it_however_loosely(checker_on):
    """In a list of findings, the parse may not make the name the subject; a sibling on file, linked only as
    the article's topic, is still not what the line is about."""
    checker = checker_on(SIBLINGS, as_of="2026-03-01")
    text = ("Tern2 statistics\n\nKey findings\n"
            "Tern2-1.5B obtained 56.5% on MMLU\n"
            "Tern2-72B excels in Chinese MMLU with 89.2% score\n"
            "Tern2-72B C-Eval score of 85.7%\n")
    vs = verdicts(checker, text)
    assert vs["56.5%"].kind is V
    for figure in ("89.2%", "85.7%"):
        assert vs[figure].kind is U and vs[figure].entity == "Tern2-72B" and not vs[figure].entity_on_file



def test_a_variant_word_that_is_also_an_abbreviation_stays_in_the_name():
    from extractors.mentions import index_names, mark_names
    from extractors.pipeline import load_pipeline

    nlp, _ = load_pipeline()
    index = index_names([("Kestrel Board 2", "Kestrel Board 2")])
    found = {s.text for s in mark_names(nlp("The Orca 16 Pro Max and the Kestrel Board 2 Max weigh 227 g."), index)}
    assert found == {"Orca 16 Pro Max", "Kestrel Board 2 Max"}
    api = {s.text for s in mark_names(nlp("The Kestrel Board 2 API costs $5 a month."), index)}
    assert "Kestrel Board 2" in api and "Kestrel Board 2 API" not in api    # an abbreviation that is no variant


SERIES = """entity,attribute,value,unit,as_of,source_url,note
Vela 9 9950Z,CPU cores,16,cores,2026-01-10,https://example.org/vela,
Vela 9 9950Z,threads,32,threads,2026-01-10,https://example.org/vela,
"""


def test_a_series_that_numbers_the_product_on_file_is_its_family_not_a_sibling(checker_on):
    """"Vela 9000" is the series the Vela 9 9950Z belongs to, as "Gemma 2" is Gemma 2 27B's family: it does
    not stand in as another product that might own the review's figures."""
    checker = checker_on(SERIES, as_of="2026-03-01")
    v = verdicts(checker, "Vela 9 9950Z review\n\nIn the Vela 9000 family, the top chip offers 32 threads.")["32"]
    assert v.kind is V and v.entity == "Vela 9 9950Z"
    other = verdicts(checker, "Vela 9 9950Z review\n\nIn the Vela 8000 family, the top chip offers 24 threads.")["24"]
    assert other.kind is U                                        # an older series is not this chip's
