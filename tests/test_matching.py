"""Matching principles on sentences written for these tests, against the Nimbus/Kestrel sample facts."""
from factdesk.verdicts import VerdictKind

V, C, U = VerdictKind.VERIFIED, VerdictKind.CONFLICTING, VerdictKind.UNVERIFIED


def test_right_number_is_verified_with_its_source(verdict_of):
    v = verdict_of("Nimbus 3 scored 71.4 percent on Arcbench Pro, its maker said.", "71.4")
    assert v.kind is V
    assert v.fact.attribute == "Arcbench Pro score"
    assert "example.org/nimbus-3" in v.explanation


def test_wrong_number_conflicts_and_names_the_reference(verdict_of):
    v = verdict_of("Nimbus 3 scored 74.1 percent on Arcbench Pro.", "74.1")
    assert v.kind is C
    assert "71.4" in v.explanation


def test_distinctive_words_must_agree(verdict_of):
    # "Arcbench Max" is not "Arcbench Pro" even though both are Arcbench
    assert verdict_of("Nimbus 3 scored 71.4 percent on Arcbench Max.", "71.4").kind is U


def test_a_matching_value_alone_is_not_evidence(verdict_of):
    # 80.2 equals the Lite score, but nothing in the sentence says which benchmark this is
    assert verdict_of("Nimbus 3 reached 80.2 percent in our own office tests.", "80.2").kind is U


def test_precision_as_written(verdict_of):
    assert verdict_of("Nimbus 3 scored 71.5 percent on Arcbench Pro.", "71.5").kind is C
    assert verdict_of("Nimbus 3 scored about 71 percent on Arcbench Pro.", "71").kind is V


def test_rates_compare_per_unit(verdict_of):
    text = "Nimbus 3 costs $3 per million input tokens and $12 per million output tokens."
    assert verdict_of(text, "$3").kind is V
    assert verdict_of(text, "$12").kind is V
    wrong = "Nimbus 3 costs $12 per million input tokens and $3 per million output tokens."
    assert verdict_of(wrong, "$12").kind is C


def test_words_and_scales_agree_with_exact_values(verdict_of):
    v = verdict_of("Nimbus 3 has a context window of 256K tokens.", "256K")
    assert v.kind is V  # binary K: 256 x 1024 = 262,144


def test_bounds(verdict_of):
    assert verdict_of("Nimbus 3 was trained for less than $10 million.", "$10 million").kind is V
    assert verdict_of("Nimbus 3 was trained for less than $5 million.", "$5 million").kind is C


def test_unknown_entity_stays_unverified(verdict_of):
    v = verdict_of("Rival model Zephyr 7 scored 71.4 percent on Arcbench Pro.", "71.4")
    assert v.kind is U


def test_entity_after_the_number(verdict_of):
    text = "On Arcbench Pro, Zephyr 7 scored 60.0 percent compared to 70.0 percent for Nimbus 3."
    v = verdict_of(text, "70.0")
    assert v.kind is C and v.entity == "Nimbus 3"


def test_alias_and_possessive(verdict_of):
    v = verdict_of("Nimbus-3's 400B parameters make it large.", "400B")
    assert v.kind is V and v.fact.attribute == "total parameters"


def test_active_versus_total(verdict_of):
    text = "Nimbus 3 is a 400B parameter model that activates 40B parameters per token."
    assert verdict_of(text, "40B").fact.attribute == "active parameters"
    assert verdict_of(text, "400B").kind is V


def test_minimum_versus_maximum(verdict_of):
    text = "The Kestrel Board 2 supports up to 16GB of RAM, and entry-level boards ship with 2GB."
    assert verdict_of(text, "16GB").fact.attribute == "maximum RAM capacity"
    assert verdict_of(text, "2GB").fact.attribute == "minimum RAM capacity"


def test_unit_implies_attribute(verdict_of):
    assert verdict_of("Kestrel 2 uses a 7nm chip.", "7nm").kind is C
    assert verdict_of("Kestrel 2 uses a 5nm chip whose CPU is clocked at 3.1 GHz.", "3.1 GHz").kind is V


def test_idle_power_is_not_a_fact_on_file(verdict_of):
    assert verdict_of("Kestrel 2 idles at 3W.", "3W").kind is U


def test_periods_compare_within_the_same_period(verdict_of):
    v = verdict_of("Kestrel Board 2 revenue reached $120 million in the fourth quarter of fiscal 2024.",
                   "$120 million")
    assert v.kind is V and "Q4" in v.fact.attribute
    v = verdict_of("Kestrel Board 2 revenue reached $120 million in Q3 FY2024.", "$120 million")
    assert v.kind is C and "Q3" in v.fact.attribute


def test_a_change_is_not_a_level(verdict_of):
    v = verdict_of("Nimbus 3 improved its Arcbench Pro score by 71.4 percent.", "71.4")
    assert v.kind is U


def test_the_same_benchmark_refers_back(verdict_of):
    text = ("Nimbus 3 posted 71.4 percent on the Arcbench Pro benchmark. That lead matters. "
            "An older model scored 50.1 percent on the same benchmark.")
    v = verdict_of(text, "71.4")
    assert v.kind is V


def test_list_heading_names_the_entity(verdict_of):
    text = "Prices:\n- Nimbus 3: $3 per million input tokens, $13 per million output tokens.\n"
    assert verdict_of(text, "$3").kind is V
    assert verdict_of(text, "$13").kind is C


def test_release_date_by_synonym(verdict_of):
    assert verdict_of("Nimbus 3 launched on March 4, 2025.", "March 4, 2025").kind is V
    assert verdict_of("Nimbus 3 launched on March 14, 2025.", "March 14, 2025").kind is C


def test_every_verdict_explains_itself(checker):
    report = checker.check_text("Nimbus 3 scored 71.4 percent on Arcbench Pro and costs $3 per million input tokens. "
                                "Zephyr 7 has 12 experts.")
    assert report.verdicts
    for v in report.verdicts:
        assert v.explanation and "\n" not in v.explanation
