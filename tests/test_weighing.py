"""The six ways hand-written gates failed on unseen articles (the matching issue), each on sentences written for
these tests, judged by the shipped fitted weights; and the pieces of the weighing itself."""
import math

import pytest

from factdesk.verdicts import VerdictKind

V, C, U = VerdictKind.VERIFIED, VerdictKind.CONFLICTING, VerdictKind.UNVERIFIED

FACTS = """entity,attribute,value,unit,as_of,source_url,note,valid_from,valid_to
Orbis Semiconductor,revenue (Q4 FY2026),9.2,billion USD,2026-02-20,https://example.org/orbis-q4,,,
Orbis Semiconductor,revenue (Q3 FY2026),7.0,billion USD,2025-11-19,https://example.org/orbis-q3,,,
Orbis Semiconductor,revenue growth quarter over quarter (Q4 FY2026),31,percent,2026-02-20,https://example.org/orbis-q4,,,
Orbis Semiconductor,revenue growth year over year (Q4 FY2026),48,percent,2026-02-20,https://example.org/orbis-q4,,,
Orbis Semiconductor,GAAP diluted EPS (Q4 FY2026),1.84,USD,2026-02-20,https://example.org/orbis-q4,,,
Orca 3,total parameters,70,billion parameters,2026-01-10,https://example.org/orca-3,,,
Orca 3,active parameters,12,billion parameters,2026-01-10,https://example.org/orca-3,,,
Orca 3,experts,16,count,2026-01-10,https://example.org/orca-3,,,
Orca 3,input price per 1M tokens,2.50,USD,2026-01-10,https://example.org/orca-pricing,,,
Orca 3 Mini,total parameters,30,billion parameters,2026-01-10,https://example.org/orca-3,,,
Orca 3 Mini,active parameters,12,billion parameters,2026-01-10,https://example.org/orca-3,,,
Orca 3 Mini,experts,8,count,2026-01-10,https://example.org/orca-3,,,
Acme Model 7,input price per 1M tokens,2.00,USD,2025-01-15,https://example.org/acme-pricing,,,2025-07-01
Acme Model 7,input price per 1M tokens,1.50,USD,2025-07-01,https://example.org/acme-pricing-july,,2025-07-01,
Acme Model 7,output price per 1M tokens,8.00,USD,2025-01-15,https://example.org/acme-pricing,,,
Acme Model 7,context window,1047576,tokens,2025-01-15,https://example.org/acme,,,
Acme Model 7,release date,2025-01-15,date,2025-01-15,https://example.org/acme,,,
Acme Model 7,SWE-bench Verified score,54.6,percent,2025-01-15,https://example.org/acme,,,
"""


@pytest.fixture(scope="module")
def checker():
    from factdesk.check import Checker
    from factdesk.store import ReferenceStore

    store = ReferenceStore.memory()
    store.import_text(FACTS, name="facts.csv")
    return Checker(store)


def verdict(checker, text, number, as_of=None):
    report = checker.check_text(text, as_of=as_of)
    return next(v for v in report.verdicts if v.claim.text.startswith(number))


# 1. Gates on words: a period named once, a change named by its base, still reach the fact
def test_a_period_named_once_and_a_base_named_loosely_still_reach_the_fact(checker):
    text = ("Orbis Semiconductor reported fiscal 2026 fourth-quarter results on Thursday.\n\n"
            "Revenue hit $9.2 billion, up 31 percent from the previous quarter.")
    assert verdict(checker, text, "$9.2").kind is V
    growth = verdict(checker, text, "31")
    assert growth.kind is V and "quarter over quarter" in growth.fact.attribute
    wrong = text.replace("31 percent", "35 percent")
    assert verdict(checker, wrong, "35").kind is not V


# 2. Bare scaled figures: "(~70B)" counts what the entity's facts count in billions
def test_a_bare_scaled_figure_is_compared_with_counts_of_its_scale(checker):
    v = verdict(checker, "Orca 3 (~70B) is the largest model in the family.", "~70B")
    assert v.kind is V and v.fact.attribute == "total parameters"


# 3. Entity attribution: the clause's own subject owns its figures, not the article's topic
def test_the_clauses_own_subject_owns_its_figures(checker):
    text = ("Orca 3 is the new flagship. It has 12B active parameters out of 70B total.\n\n"
            "The smaller Orca 3 Mini also has 12B active parameters out of ~30B total, using just 8 experts.")
    v = checker.check_text(text).verdicts
    mini = [x for x in v if x.claim.start > text.index("smaller")]
    assert all(x.entity == "Orca 3 Mini" for x in mini if x.fact is not None)
    assert next(x for x in mini if x.claim.text.startswith("8")).kind is V


# 4. Wrong conflicts: a figure another plausible fact agrees with is never contradicted by its neighbour
def test_a_figure_another_plausible_fact_agrees_with_is_not_a_conflict(checker):
    text = "Orbis Semiconductor said revenue for the final quarter of 2025 came to $7.0 billion."
    assert verdict(checker, text, "$7.0").kind is not C


# 5. Conflicts held back: a changed number with the words the right one had is a conflict
def test_a_changed_number_with_the_right_ones_words_is_a_conflict(checker):
    right = "Orbis Semiconductor's GAAP diluted EPS for the fourth quarter of fiscal 2026 was $1.84."
    assert verdict(checker, right, "$1.84").kind is V
    wrong = verdict(checker, right.replace("$1.84", "$1.94"), "$1.94")
    assert wrong.kind is C and "$1.84" in wrong.explanation


# 6. Precision: "$2" is not $1.50, and a superseded value is a conflict that says so
def test_two_dollars_is_not_a_dollar_fifty_and_the_superseded_price_is_named(checker):
    text = "Acme Model 7 costs $2 per million input tokens."
    v = verdict(checker, text, "$2", as_of="2025-09-01")
    assert v.kind is C
    assert "$1.50" in v.explanation and "until 2025-07-01" in v.explanation
    assert verdict(checker, text, "$2", as_of="2025-03-01").kind is V


def test_unknown_variants_keep_their_own_name_and_take_no_neighbours_facts(checker):
    v = verdict(checker, "Orca 3 Nano costs $0.15 per million input tokens.", "$0.15")
    assert v.kind is U and v.entity == "Orca 3 Nano" and v.fact is None


def test_the_value_is_evidence_the_more_so_the_rarer_it_is():
    from extractors.model import Kind, Qualifier, Quantity
    from factdesk.evidence import Candidate, Vocabulary
    from factdesk.facts import Fact
    from factdesk.units import comparable
    from factdesk.verdicts import coincidence

    facts = [Fact(i, f"M{i}", "context window", str(v), "tokens", "", "https://example.org")
             for i, v in enumerate([1047576, 131072, 128000, 200000, 32768, 8192, 4096, 2000000])]
    facts += [Fact(100 + i, f"M{i}", "experts", "2", "count", "", "https://example.org") for i in range(8)]
    vocab = Vocabulary(facts)
    rare = Quantity(1047576.0, None, Kind.COUNT, 1.0, unit_words=("tokens",))
    common = Quantity(2.0, None, Kind.COUNT, 1.0, unit_words=("experts",))
    c_rare = coincidence(vocab, Candidate(facts[0], None, comparable(rare, facts[0].reading), (), True), rare)
    c_common = coincidence(vocab, Candidate(facts[8], None, comparable(common, facts[8].reading), (), True), common)
    assert c_rare < 0.2 < 0.9 < c_common


def test_rounding_respects_a_relative_bound_and_the_sources_precision():
    from extractors.model import Kind, Qualifier
    from factdesk.units import Comparable, agrees

    assert not agrees(Comparable(2.0, 1.0), 1.5, Qualifier.EXACT, kind=Kind.MONEY)
    assert agrees(Comparable(2.0, 1.0), 1.99, Qualifier.EXACT, kind=Kind.MONEY)
    assert agrees(Comparable(88.0, 1.0), 88.3, Qualifier.EXACT, kind=Kind.PERCENT)
    assert not agrees(Comparable(2.0, 1.0), 2.5, Qualifier.EXACT, kind=Kind.MULTIPLIER)
    # "$27.01 billion" against a source that wrote "$27.0 billion"
    assert agrees(Comparable(27.01, 0.01), 27.0, Qualifier.EXACT, kind=Kind.MONEY, ref_step=0.1)
    assert not agrees(Comparable(27.3, 0.1), 27.0, Qualifier.EXACT, kind=Kind.MONEY, ref_step=0.1)


def test_all_and_none_are_exact_percentages_that_nothing_rounds_to(checker_on):
    # a source's "71%" is rounded, so 71.2% agrees with it; its "100%" recall is every needle found, which
    # 99.6% is not
    from factdesk.facts import Fact

    whole = Fact(1, "Orca 3", "MMLU score", "71", "percent", "", "https://example.org/orca-3").reading
    every = Fact(2, "Orca 3", "needle recall at 1M tokens", "100", "percent", "", "https://example.org/orca-3").reading
    assert whole.step == 1.0 and every.step == 0.0
    facts = ("entity,attribute,value,unit,as_of,source_url,note\n"
             "Orca 3,MMLU score,71,percent,2026-01-10,https://example.org/orca-3,\n"
             "Orca 3,needle recall at 1M tokens,100,percent,2026-01-10,https://example.org/orca-3,\n")
    check = checker_on(facts, as_of="2026-03-01")
    report = check.check_text("Orca 3 scores 71.2% on MMLU. It finds 99.6% of the needles at 1M tokens, and at "
                              "smaller contexts 100% of them.")
    kinds = {v.claim.text: v.kind for v in report.verdicts}
    assert kinds["71.2%"] is V and kinds["99.6%"] is not V


def test_candidates_compete_and_what_is_left_is_none_of_them():
    from factdesk.weights import shipped_weights

    w = shipped_weights()
    strong = [1.0 if name in ("w_cover", "w_id_cover", "ent_top", "u_same_unit") else 0.0 for name in w.match_features]
    one = w.probabilities([strong])
    two = w.probabilities([strong, strong])
    assert math.isclose(sum(two), 2 * two[0]) and two[0] < one[0] and sum(two) < 1.0


def test_json_claims_carry_confidence_candidates_and_check_worthiness(checker):
    from factdesk.report import report_dict

    report = checker.check_text("Acme Model 7 has a context window of 1,047,576 tokens. "
                                "The briefing started at 10:47 AM.", as_of="2025-03-01")
    claims = report_dict(report)["claims"]
    window = next(c for c in claims if c["text"].startswith("1,047,576"))
    assert window["verdict"] == "verified" and 0.5 < window["confidence"] <= 1
    assert window["candidates"][0]["attribute"] == "context window" and len(window["candidates"]) <= 3
    clock = next(c for c in claims if c["text"].startswith("10:47"))
    assert clock["check_worthy"] is False
    assert report.summary["not_a_claim"] >= 1


def test_the_shipped_weights_are_what_fitting_the_shipped_corpus_gives(tmp_path):
    """`factdesk fit` on the corpora in the repository reproduces factdesk/data/weights.json exactly: the
    shipped weights were fitted, not tuned by hand, and nobody changed the corpus or the features since."""
    import json
    import subprocess
    import sys

    from factdesk.weights import WEIGHTS_FILE

    out = tmp_path / "weights.json"
    res = subprocess.run([sys.executable, "-m", "factdesk.cli", "fit", "-o", str(out)], capture_output=True,
                         text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    fitted, shipped = json.loads(out.read_text()), json.loads(WEIGHTS_FILE.read_text())
    assert fitted == shipped, "weights.json is stale: run 'factdesk fit' and commit it"


def test_inner_folds_keep_an_article_with_its_copy_and_a_seed_only_reorders_them():
    """The fit's inner folds, which choose the thresholds: every article in exactly one fold, a perturbed copy
    in its original's; seed 0 is the shipped fit's name order, another seed a different split of the same."""
    from types import SimpleNamespace

    from factdesk.fitting import _folds

    arts = [SimpleNamespace(group=f"story-{i}", name=f"story-{i}{suffix}") for i in range(12)
            for suffix in ("", "-perturbed")]
    for seed in (0, 11):
        folds = _folds(arts, 5, seed)
        assert sorted(a.name for f in folds for a in f) == sorted(a.name for a in arts)
        fold_of = {}
        for k, f in enumerate(folds):
            for a in f:
                assert fold_of.setdefault(a.group, k) == k      # a copy sits in its original's fold
    plain, shuffled = _folds(arts, 5, 0), _folds(arts, 5, 11)
    assert [a.name for a in plain[0]][:2] == ["story-0", "story-0-perturbed"]
    assert [[a.name for a in f] for f in plain] != [[a.name for a in f] for f in shuffled]


def test_the_agreement_span_holds_every_value_a_figure_agrees_with():
    """Counting coincidences reads only the values inside `agreement_span`; a value `agrees` accepts outside it would
    be silently left out of the count (widening `agrees` must widen the span)."""
    import random

    from extractors.model import Kind, Qualifier
    from factdesk.units import Comparable, agreement_span, agrees

    rng = random.Random(7)
    for _ in range(20000):
        mag = 10 ** rng.randint(-2, 9)
        v = rng.choice([rng.randint(1, 9), rng.randint(10, 99), round(rng.uniform(1, 9.99), 2)]) * mag
        step = rng.choice([mag, mag / 10, 1.0, 0.1, 0.01])
        qualifier, binary = rng.choice(list(Qualifier)), rng.random() < 0.3
        kind = rng.choice([Kind.PERCENT, Kind.MONEY, Kind.QUANTITY, Kind.COUNT, None])
        figure = Comparable(v, step)
        lo, hi = agreement_span(figure, qualifier, binary)
        for r in (v * rng.uniform(0, 3), v + rng.uniform(-2, 2) * step, v * rng.uniform(0.8, 1.3)):
            if agrees(figure, r, qualifier, binary, kind, rng.choice([0.0, step, 1.0])):
                assert lo <= r <= hi, (v, step, qualifier, binary, r)
