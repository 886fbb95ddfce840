"""Matching principles on sentences written for these tests, against the Nimbus/Kestrel sample facts."""
import pytest
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
    # swapped: each figure states the other's value, but its own words say which price it is
    assert verdict_of(wrong, "$12").kind is C
    assert verdict_of(wrong, "$3 per million output").kind is C


def test_a_rate_per_an_unsaid_count_compares_with_the_same_count(verdict_of):
    table = "Nimbus 3 pricing\n\n| Model | Input | Output |\n|---|---|---|\n| Nimbus 3 | {} per million | {} per million |\n"
    assert verdict_of(table.format("$3", "$12"), "$3 per million").kind is V
    assert verdict_of(table.format("$3", "$12"), "$12 per million").kind is V
    assert verdict_of("Nimbus 3 costs $3 per million input and $12 per million output.", "$12").kind is V
    # per thousand is not per million: nothing on file is priced per thousand of anything
    assert verdict_of("Nimbus 3 costs $3 per thousand input.", "$3").kind is U


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


# -- what the number measures, and who the clause is about (sentences written for these tests) ---------

def test_a_unit_without_its_noun_borrows_the_sentence_s_earlier_one(verdict_of):
    text = ("The Kestrel Board 2 takes up to 16GB of RAM, which is plenty for a home server, "
            "and entry-level configurations come with 4GB.")
    assert verdict_of(text, "4GB").kind is C         # minimum RAM is 2GB
    text = text.replace("4GB", "2GB")
    assert verdict_of(text, "2GB").kind is V


def test_an_item_noun_is_not_the_measure_and_a_contrast_changes_sides(verdict_of):
    text = ("The starting price of $99 gets you a Kestrel Board 2 with 2GB of RAM, "
            "while a 16GB model will sell for $199.")
    assert verdict_of(text, "16GB").kind is V        # not a conflict with the 2GB minimum
    assert verdict_of(text, "2GB").kind is V


def test_the_subject_of_the_clause_owns_a_distant_number(verdict_of):
    text = ("Nimbus 3 trained on 4.1 million GPU hours. For comparison, Orca 2 (which is far larger "
            "than Nimbus 3's 400 billion parameters) needed twice that - 9,500,000 GPU hours in all.")
    v = verdict_of(text, "9,500,000")
    assert v.kind is V and v.fact.entity == "Orca 2"


def test_a_baseline_after_up_from_is_not_what_the_next_sentence_is_about(verdict_of):
    text = ("The KX900 is a new design. It runs at 3.1 GHz, up from 2.4 GHz on the Orca 2. "
            "The chip also carries 16MB of L3 cache.")
    v = verdict_of(text, "16MB")
    assert v.kind is C and v.fact.entity == "KX900"


def test_a_baseline_after_up_from_belongs_to_its_own_entity(checker):
    report = checker.check_text("Orca 2 trained on 9.5 million GPU hours, up from 4.1 million "
                                "GPU hours for Nimbus 3.")
    got = {v.claim.text: (v.kind, v.fact.entity if v.fact else None) for v in report.verdicts}
    assert got["4.1 million"] == (V, "Nimbus 3"), got
    assert got["9.5 million"] == (V, "Orca 2"), got


def test_a_hard_wrapped_sentence_stays_one_sentence(checker):
    text = ("Nimbus 3 accepts 262,144 tokens in a single request,\n"
            "up from 128,000 tokens for Orca 2, and lists at\n$3 per million input tokens.\n\n"
            "Prices:\n- Nimbus 3: $3 per million input tokens\n")
    report = checker.check_text(text)
    first = [v for v in report.verdicts if v.claim.text == "128,000"][0]
    assert "single request,\nup from" in first.claim.sentence
    items = [v for v in report.verdicts if v.claim.start > text.index("Prices:")]
    assert items and all(v.claim.sentence.startswith("- Nimbus 3") for v in items)   # list lines stay apart


# -- principles found on a second, independently written evaluation set ---------------------------------

def test_the_thing_a_measure_modifies_is_its_entity(verdict_of):
    text = "At 62 grams the Kestrel Board 2 is heavier than the 45-gram Kestrel Board 2 Mini."
    v = verdict_of(text, "45-gram")
    assert v.kind is V and v.fact.entity == "Kestrel Board 2 Mini"


def test_a_variant_named_by_its_last_word(verdict_of):
    text = "Kestrel Board 2 Mini arrives in June. The Mini weighs 50 grams, the lab says."
    v = verdict_of(text, "50 grams")
    assert v.kind is C and v.fact.entity == "Kestrel Board 2 Mini"


def test_coordinated_and_relative_clauses_keep_their_subject(verdict_of):
    text = ("Nimbus 3 is the model to beat. Its rivals include Orca 2, which posts 65 percent on Arcbench "
            "Pro but trained on 9.5 million GPU hours.")
    v = verdict_of(text, "9.5 million")
    assert v.kind is V and v.fact.entity == "Orca 2"


def test_common_abbreviations_are_vocabulary_not_names(verdict_of):
    # the fact says "US launch price (4GB)"; a reader needs neither "US" nor "launch" to see the price
    assert verdict_of("The Kestrel Board 2 launches at $99 for the 4GB model.", "$99").kind is V
    assert verdict_of("The Kestrel Board 2 launches at $89 for the 4GB model.", "$89").kind is C


def test_benchmark_points_and_bare_scores(verdict_of):
    assert verdict_of("Nimbus 3 posts 1,450 points in Quickmark multi-core.", "1,450").kind is V
    text = "Benchmarks for Nimbus 3:\n- Arcbench Pro: 71.4\n- Quickmark multi-core: 1,390\n"
    assert verdict_of(text, "71.4").kind is V
    assert verdict_of(text, "1,390").kind is C
    # a bare number far from any benchmark name is not a score
    assert verdict_of("Nimbus 3 has 71.4 reasons to exist, and Arcbench Pro is one.", "71.4").kind is U


def test_a_change_by_an_amount_is_not_a_level(verdict_of):
    text = "Kestrel Board 2 is here. Compared with the first board, its clock rose by 3.1 GHz."
    assert verdict_of(text, "3.1 GHz").kind is U
    assert verdict_of("Kestrel Board 2 runs at 3.1 GHz.", "3.1 GHz").kind is V


def test_spec_lists_belong_to_a_dominant_topic(verdict_of):
    text = ("Kestrel Board 2 review\n\nThe Kestrel Board 2 is the best hobby board this year. We liked the "
            "Kestrel Board 2 a lot.\n\nOn the bench the board was quiet and cool. Fans will like it. It boots "
            "fast. Setup took minutes. The case is sturdy. Documentation is good. Support answered quickly.\n\n"
            "The spec sheet, as published:\n\n- Weight: 70 grams\n- Process: 5nm\n")
    assert verdict_of(text, "70 grams").kind is C        # 62 g on file
    assert verdict_of(text, "5nm").kind is V


def test_a_word_any_such_fact_carries_still_counts_a_little(verdict_of):
    text = "Nimbus 3 is big. The model has 410 billion parameters in total but activates 40 billion per token."
    assert verdict_of(text, "410 billion").kind is C


# -- generalising to facts written by other people (sentences written for these tests) ------------------

def test_the_article_s_reporting_period_stands_in_where_a_sentence_names_none(checker):
    text = ("Brightwater Labs posts record quarter\n\nBrightwater Labs said on Tuesday that revenue for the "
            "second quarter of fiscal 2026 reached a record. Revenue was $812 million, the company said.\n\n"
            "Key figures for Q2 FY2026:\n- Revenue: $812 million (Q2 FY2025: $700 million)\n")
    got = [(v.claim.text, v.kind, v.fact.attribute if v.fact else None) for v in checker.check_text(text).verdicts
           if v.claim.quantity.kind.value == "money"]
    assert got == [("$812 million", V, "revenue (Q2 FY2026)"), ("$812 million", V, "revenue (Q2 FY2026)"),
                   ("$700 million", V, "revenue (Q2 FY2025)")]


def test_hedges_stretch_by_how_round_the_number_is(verdict_of):
    assert verdict_of("The Kestrel Board 2 launches at about $100 for the 4GB model.", "$100").kind is V
    assert verdict_of("The Kestrel Board 2 launches at roughly $95 for the 4GB model.", "$95").kind is C


def test_a_market_word_qualifies_a_price_and_a_phrase_says_release(verdict_of):
    assert verdict_of("The Pellucid 7 arrives at $699, a fair price for a phone this good.", "$699").kind is V
    v = verdict_of("The Pellucid 7 goes on sale September 19 in black and white.", "September 19")
    assert v.kind is V and v.fact.attribute == "US availability date"


def test_growth_words_and_apposition(verdict_of):
    text = "Brightwater Labs said second-quarter revenue climbed 16% from a year earlier."
    assert verdict_of(text, "16%").fact.attribute == "revenue growth year over year (Q2 FY2026)"
    text = "In the second quarter, Brightwater's cloud segment brought in $300 million, a 25% year-over-year increase."
    v = verdict_of(text, "25%")
    assert v.kind is V and v.fact.attribute.startswith("cloud segment")


def test_non_gaap_is_not_gaap(verdict_of):
    text = "Brightwater Labs results for Q2 FY2026:\n- GAAP gross margin: 48.0%\n- Non-GAAP gross margin: 51.5%\n"
    assert verdict_of(text, "51.5%").fact.attribute == "non-GAAP gross margin (Q2 FY2026)"
    assert verdict_of(text, "48.0%").fact.attribute == "GAAP gross margin (Q2 FY2026)"


def test_one_figure_per_fact_in_a_sentence(checker):
    report = checker.check_text("The Kestrel Board 2 launched at $99 for the 4GB model but now sells for $89 online.")
    got = {v.claim.text: v.kind for v in report.verdicts}
    assert got["$99"] is V and got["$89"] is U


def test_a_count_unit_carries_to_a_bare_figure_in_the_same_sentence(verdict_of):
    text = "Quillon 2 has a context window of 128K tokens, up from 64K in Nimbus 3."
    assert verdict_of(text, "128K").kind is V
    assert verdict_of(text, "64K").kind is C and verdict_of(text, "64K").entity == "Nimbus 3"


def test_a_hedge_covers_coordinated_figures(verdict_of):
    text = "Nimbus 3 scored about 71 percent on Arcbench Pro and 81 percent on Arcbench Lite."
    assert verdict_of(text, "81 percent").kind is V                  # 80.2 on file
    assert verdict_of(text.replace("about ", ""), "81 percent").kind is C


def test_bits_per_second_are_not_hertz():
    from factdesk.units import conversion_factor

    assert conversion_factor("GHz", "Gb/s") is None
    assert conversion_factor("Gb/s", "GB/s") == 0.125


def test_a_range_gives_its_low_and_high_ends(checker):
    text = "Brightwater Labs guided third-quarter revenue to between $850 million and $870 million."
    got = {v.claim.text: (v.kind, v.fact.attribute if v.fact else None) for v in checker.check_text(text).verdicts}
    assert got["$850 million"] == (V, "revenue guidance Q3 FY2026 (low end)")
    assert got["$870 million"] == (V, "revenue guidance Q3 FY2026 (high end)")
    swapped = checker.check_text(text.replace("$870 million", "$890 million"))
    assert [v.kind for v in swapped.verdicts if v.claim.text == "$890 million"] == [C]


def test_a_full_year_figure_and_a_raised_forecast(checker):
    text = ("Brightwater Labs guided fourth-quarter revenue higher and raised its full-year forecast to "
            "$3.4 billion from $3.3 billion.")
    got = {v.claim.text: (v.kind, v.fact.attribute if v.fact else None) for v in checker.check_text(text).verdicts}
    assert got["$3.4 billion"] == (V, "full-year FY2026 revenue guidance (raised February 2026)")
    assert got["$3.3 billion"] == (V, "full-year FY2026 revenue guidance (previous November 2025)")


def test_a_rival_named_in_a_comparison_owns_its_relative_clause(verdict_of):
    text = ("Brightwater's quarter compares well with rival Corvid Systems, which posted revenue of $500 million "
            "for the first quarter of its fiscal 2026, up 9%, with a gross margin of 41%.")
    v = verdict_of(text, "9%")
    assert v.kind is V and v.entity == "Corvid Systems"


def test_a_list_under_an_unnamed_lead_in_is_about_the_article(checker):
    text = ("Pellucid 7 review: small and bright\n\nThe Pellucid 7 is the phone to beat. The Pellucid 6 "
            "came out a year earlier.\n\nWhat you get:\n\n- Size: 147 x 71 x 7.9mm\n- Display: 6.1 inches\n")
    got = {v.claim.text: (v.kind, v.entity) for v in checker.check_text(text).verdicts}
    assert got["147"] == (V, "Pellucid 7") and got["71"] == (V, "Pellucid 7")
    assert got["7.9mm"] == (V, "Pellucid 7") and got["6.1 inches"] == (V, "Pellucid 7")


def test_counted_names_are_not_what_a_line_is_about(checker):
    text = "Vanta 3 specifications:\n- Outputs: three DisplayPort 2.1, one HDMI 2.1\n- Board power: 300W\n"
    got = {v.claim.text: (v.kind, v.entity) for v in checker.check_text(text).verdicts}
    assert got["300W"] == (V, "Vanta 3")
    assert next(k for t, k in got.items() if "three" in t) == (V, "Vanta 3")


def test_a_sibling_s_word_rules_a_rival_out(checker):
    text = "Idle power, which the lab put at 15W on the Vanta 3, is lower than the 22W it measured on the Ridge 7."
    got = {v.claim.text: (v.kind, v.entity) for v in checker.check_text(text).verdicts}
    assert got["15W"] == (V, "Vanta 3")
    assert got["22W"][0] is U             # the Ridge 7 has only its board power on file


def test_a_bare_year_beside_a_product_is_its_release(verdict_of):
    assert verdict_of("If you own a Pellucid 6 from 2024, wait a year.", "2024").kind is V
    assert verdict_of("If you own a Pellucid 6 from 2023, wait a year.", "2023").kind is U   # a date alone never accuses


def test_a_monthly_price_is_a_rate_and_a_resolution_is_no_count(checker):
    assert [v.kind for v in checker.check_text("Streamly Plus stays at $12.99 a month.").verdicts] == [V]
    report = checker.check_text("The Vanta 3 is 20% faster at 4K in most games.")
    assert [v.claim.text for v in report.verdicts] == ["20%"]


def test_round_figures_and_change_words(checker):
    got = {v.claim.text: v.kind for v in checker.check_text("The Vanta 3 scored 12,400 in Bench 9.").verdicts}
    assert got == {"12,400": V}
    assert {v.claim.text: v.kind for v in checker.check_text("The Vanta 3 scored 12,500 in Bench 9.").verdicts} \
        == {"12,500": C}
    report = checker.check_text("Brightwater Labs said cloud bookings more than doubled.")
    assert [(v.claim.text, v.claim.mention.change) for v in report.verdicts] == [("doubled", True)]


def test_a_period_phrase_belongs_to_the_figure_beside_it(checker):
    text = ("Brightwater Labs earned 91 cents a share on a GAAP basis in its fiscal second quarter, and revenue was $812 million, "
            "up from $700 million a year earlier. Adjusted earnings were $1.04 a share, compared with "
            "$0.88 in the same quarter of fiscal 2025.")
    got = {v.claim.text: (v.kind, v.fact.attribute if v.fact else None) for v in checker.check_text(text).verdicts}
    assert got["91 cents a share"] == (V, "GAAP diluted EPS (Q2 FY2026)")
    assert got["$812 million"] == (V, "revenue (Q2 FY2026)")
    assert got["$700 million"] == (V, "revenue (Q2 FY2025)")        # "a year earlier"
    assert got["$1.04 a share"] == (V, "non-GAAP diluted EPS (Q2 FY2026)")   # adjusted = non-GAAP


def test_an_entity_s_reported_period_stands_in_for_an_unsaid_one(checker):
    report = checker.check_text("Brightwater Labs said revenue was $812 million and gross margin 48.0%.")
    assert [(v.claim.text, v.kind) for v in report.verdicts] == [("$812 million", V), ("48.0%", V)]
    # a period label is not a date to check
    report = checker.check_text("Brightwater Labs will report fiscal 2026 results in May.")
    assert all(v.kind is U for v in report.verdicts if "2026" in v.claim.text)


def test_a_level_is_no_change_and_a_share_is_no_growth(checker):
    text = "In Q2 FY2026 Brightwater's gross margin widened to 48.0% from 46.1% a year earlier."
    got = {v.claim.text: (v.kind, v.fact.attribute if v.fact else None) for v in checker.check_text(text).verdicts}
    assert got["48.0%"] == (V, "GAAP gross margin (Q2 FY2026)")
    assert got["46.1%"] == (V, "GAAP gross margin (Q2 FY2025)")
    v = checker.check_text("Brightwater's cloud segment makes up about 37 percent of revenue.").verdicts[0]
    assert v.kind is U                                  # not the cloud segment's 25% growth


def test_a_dateline_dates_the_article_and_a_sentence_can_date_a_figure(checker):
    text = ("Streamly Plus raises its price\n\nBy Ada Vance | June 2, 2025\n\n"
            "Streamly Plus goes from $10.99 to $12.99 a month on July 1.\n"
            "The annual plan costs $119.\n")
    got = {v.claim.text: v.kind for v in checker.check_text(text).verdicts if "$" in v.claim.text}
    assert got == {"$10.99": V, "$12.99 a month": V, "$119": V}     # the old price, then the new
    # on the dateline's day the old price held: the new one is verified only because the sentence dates it
    v = [v for v in checker.check_text("By Ada Vance | June 2, 2025\n\nThe Streamly Plus subscription costs "
                                       "$12.99 a month.").verdicts if "12.99" in v.claim.text][0]
    assert v.kind is C and "from 2025-07-01" in v.explanation


def test_list_items_take_their_lead_in_s_rate_and_labels_pair_up(checker):
    text = "Prices per million tokens:\n- Quillon 2: $1 input, $4 output\n"
    assert [v.kind for v in checker.check_text(text).verdicts if "$" in v.claim.text] == [V, V]
    text = "Kestrel Board 2 specifications:\n- Cores / threads: 8 / 16\n- Memory: LPDDR5-6400\n"
    got = {v.claim.text: (v.kind, v.fact.attribute if v.fact else None) for v in checker.check_text(text).verdicts}
    assert got["8"] == (V, "CPU core count") and got["16"] == (V, "thread count")
    assert got["LPDDR5-6400"] == (V, "max memory speed (LPDDR5)")


def test_names_an_article_shortens_and_versions_it_does_not_know(checker):
    text = ("Quillon 2 Max arrives with a huge window. Max accepts one million tokens in a single request.\n\n"
            "The Pellucid 8 has a 6.3-inch display.")
    got = {v.claim.text: (v.kind, v.entity) for v in checker.check_text(text).verdicts}
    assert got["one million"] == (V, "Quillon 2 Max")
    assert got["6.3-inch"] == (U, "Pellucid 8")     # not the Pellucid 7's display
    text = "The Vanta 3 is lighter than the 700g Tollan Roam X."
    assert {v.claim.text: v.entity for v in checker.check_text(text).verdicts}["700g"] == "Tollan Roam X"
    text = ("The Tollan Roam X is the rival. That Tollan machine, which launched last March, is pricier.")
    v = [v for v in checker.check_text(text).verdicts if "March" in v.claim.text][0]
    assert v.kind is V and v.entity == "Tollan Roam X"


def test_a_hard_wrapped_line_does_not_cut_a_figure_off_from_its_subject(checker):
    from extractors.layout import join_wrapped_lines

    wrapped = ("On Arcbench Pro, the reasoning test most labs now quote, Nimbus 3 scored 71.4 percent. Orca 2 managed\n"
               "65.0 percent on the same benchmark. Its maker also reports 80.2 percent on Arcbench Lite.\n")
    assert len(join_wrapped_lines(wrapped)) == len(wrapped) and "\n65.0" not in join_wrapped_lines(wrapped)
    v = checker.check_text(wrapped).verdicts[1]
    assert v.entity == "Orca 2" and v.kind.value == "verified" and v.claim.start == wrapped.index("65.0")
    # list items, lead-ins and short lines keep their line breaks
    listing = ("What the Nimbus 3 costs, according to the pricing page published by its maker this week:\n"
               "- $3 per million input tokens\n- $12 per million output tokens\nShort heading\nNext line\n")
    assert join_wrapped_lines(listing) == listing


def test_a_fact_that_does_not_say_which_variant_never_contradicts_one(tmp_path):
    from factdesk.check import Checker
    from factdesk.store import ReferenceStore

    store = ReferenceStore.open(tmp_path / "v.db", create=True)
    store.import_text(
        "entity,attribute,value,unit,as_of,source_url,note\n"
        "Nimbus 3,input price per 1M tokens,3.00,USD,2025-03-04,https://example.org/pricing,\n"
        "Nimbus 3,output price per 1M tokens,12.00,USD,2025-03-04,https://example.org/pricing,\n"
        "Orca 2,price per 1M tokens,2.50,USD,2025-04-01,https://example.org/orca,\n", name="v.csv")
    checker = Checker(store)
    kinds = {v.claim.text: v.kind.value for v in checker.check_text(
        "Orca 2 costs $10 per million output tokens. Orca 2 costs $2.50 per million input tokens. "
        "Orca 2 costs $4 per million tokens.").verdicts}
    # the database tells input from output prices; Orca 2's price says neither, so "output" is not it, and
    # a figure that states none of Orca 2's readings is never verified
    assert kinds["$10 per million output tokens"] == "unverified"
    assert kinds["$2.50 per million input tokens"] == "verified"
    assert kinds["$4 per million tokens"] != "verified"


def test_a_first_sentence_with_a_date_is_not_a_dateline():
    from factdesk.check import article_date

    assert article_date("Pixel news\n\nThe Nimbus 3 will ship on August 22, 2024.\n") is None
    assert article_date("Nimbus 3 review\nBy Ann Lee | April 22, 2026\n\nIt is fast.\n") == "2026-04-22"
    assert article_date("Nimbus 3 review\nPublished April 22, 2026.\n") == "2026-04-22"


PRINCIPLE_FACTS = """entity,attribute,value,unit,as_of,source_url,note,valid_from,valid_to
Vela Cloud,"on-demand price per GPU-hour, Tern X",3.10,USD,2026-02-01,https://example.org/vela-old,,,2026-05-01
Vela Cloud,"on-demand price per GPU-hour, Tern X",2.40,USD,2026-04-10,https://example.org/vela-new,,2026-05-01,
Vela Cloud,"hourly on-demand rate, Tern GPU",1.80,USD,2026-02-01,https://example.org/vela-old,,,
Vela Cloud,"Tern X price per GPU-hour, 1-year reserved",1.70,USD,2026-04-10,https://example.org/vela-new,,2026-05-01,
Lark Watch,case weight (46 mm),38,g,2026-03-01,https://example.org/lark,,,
Lark Watch,case weight (42 mm),33,g,2026-03-01,https://example.org/lark,,,
Lark Watch,full charge time (standard charger),2.5,hours,2026-03-01,https://example.org/lark,,,
Lark Watch,charge time with fast charger,1,hours,2026-03-01,https://example.org/lark,,,
Heron LM,total parameters,318,billion parameters,2026-01-20,https://example.org/heron,,,
Heron LM,experts per MoE layer,128,count,2026-01-20,https://example.org/heron,,,
Heron LM,Arcbench Pro,71.4,percent,2026-01-20,https://example.org/heron,,,
Crane LM,Arcbench Pro,65.0,percent,2025-11-02,https://example.org/crane,,,
Lark Watch,rated battery life,10,days,2026-03-01,https://example.org/lark,,,
Lark Watch,storage (minimum),32,GB,2026-03-01,https://example.org/lark,,,
Lark Watch,storage (maximum),64,GB,2026-03-01,https://example.org/lark,,,
Vela Cloud,revenue Q1 2026,410,million USD,2026-04-12,https://example.org/vela-q1,,,
Vela Cloud,GAAP gross margin FQ2 2026,61.5,percent,2026-04-12,https://example.org/vela-q1,,,
Lark Watch,maximum brightness,2000,nits,2026-03-01,https://example.org/lark,,,
Lark Charger,maximum output current,48,A,2026-03-01,https://example.org/lark-charger,,,
Lark Charger,minimum circuit breaker rating,60,A,2026-03-01,https://example.org/lark-charger,,,
Lark Charger,nominal supply voltage,240,V,2026-03-01,https://example.org/lark-charger,,,
Lark Charger,lowest operating temperature,-30,degC,2026-03-01,https://example.org/lark-charger,,,
Lark Charger,highest operating temperature,50,degC,2026-03-01,https://example.org/lark-charger,,,
Kite Vac,list price,499,USD,2026-03-01,https://example.org/kite,,,
Kite Vac,robot height,92,mm,2026-03-01,https://example.org/kite,,,
Kite Vac,robot diameter,350,mm,2026-03-01,https://example.org/kite,,,
Wren Vac,price,699,USD,2026-03-01,https://example.org/wren,,,
Wren Vac,height (with lidar),101,mm,2026-03-01,https://example.org/wren,,,
Heron LM,context window,400000,tokens,2026-01-20,https://example.org/heron,,,
Crane LM,context length,256000,tokens,2025-11-02,https://example.org/crane,,,
Heron LM,"input tokens, USD per million",3.00,USD,2026-01-20,https://example.org/heron,,,
Heron LM,"per-million-token price, output",15.00,USD,2026-01-20,https://example.org/heron,,,
Lark Display,native resolution (width),3840,pixels,2026-03-01,https://example.org/lark-display,,,
Lark Display,native resolution (height),2160,pixels,2026-03-01,https://example.org/lark-display,,,
Vela Cloud,"Pro tier, monthly subscription",29,USD,2026-04-10,https://example.org/vela-new,,,
Lark Band,release date,2026-03-20,date,2026-03-20,https://example.org/lark-band,,,
Vela Cloud,"Starter plan, monthly price, 1 seat",12,USD,2026-02-01,https://example.org/vela-old,,,2026-05-01
Vela Cloud,"Starter plan, monthly price, 1 seat",14,USD,2026-04-10,https://example.org/vela-new,,2026-05-01,
Corvane Mesh,US price,449,USD,2026-03-01,https://example.org/corvane,,,
Vela Cloud,"compute bookings, three months ended 2026-03-31",480,million USD,2026-04-12,https://example.org/vela-q1,,,
Vela Cloud,"storage bookings, three months ended 2026-03-31",120,million USD,2026-04-12,https://example.org/vela-q1,,,
Vela Cloud,"jobs run, three months ended 2026-03-31",90,million count,2026-04-12,https://example.org/vela-q1,,,
Pim Bike,maximum range,70,km,2026-02-10,https://example.org/pim,,,
Pim Bike,weight,19.8,kg,2026-02-10,https://example.org/pim,,,
Lark Watch,display size (46 mm),1.47,inch,2026-03-01,https://example.org/lark,,,
Halden Stride,peak screen brightness,2500,nits,2026-03-01,https://example.org/halden,,,
Halden Stride,US price,379,USD,2026-03-01,https://example.org/halden,,,
Corvane Aster,peak screen brightness,3000,nits,2026-03-10,https://example.org/corvane-aster,,,
Corvane Aster,US price,399,USD,2026-03-10,https://example.org/corvane-aster,,,
Corvane Aster,total board power,285,W,2026-03-10,https://example.org/corvane-aster,,,
Vela Cloud,"operating income, three months ended 2026-03-31",611,million USD,2026-04-12,https://example.org/vela-q1,,,
Vela Cloud,"revenue outlook, fiscal year ending 2027-03-31",17,billion USD,2026-04-12,https://example.org/vela-q1,,,
Vela Cloud,"customers, as of 2026-03-31",48300,count,2026-04-12,https://example.org/vela-q1,,,
Kite LM,parameters,9,billion parameters,2026-02-01,https://example.org/kite-lm,,,
Wren LM,parameters,34,billion parameters,2026-02-01,https://example.org/wren-lm,,,
Strand Keel,US list price,179.99,USD,2026-03-01,https://example.org/strand,,,
Strand Keel,weight,1480,g,2026-03-01,https://example.org/strand,,,
Strand Glide,US list price,149.99,USD,2026-03-01,https://example.org/strand,,,
Pim Bike,peak charging power,205,W,2026-01-01,https://example.org/pim-old,,,2026-03-31
Pim Bike,peak charging power,250,W,2026-04-01,https://example.org/pim-new,,2026-04-01,
"""


@pytest.fixture(scope="module")
def principles(tmp_path_factory):
    from factdesk.check import Checker
    from factdesk.store import ReferenceStore

    store = ReferenceStore.open(tmp_path_factory.mktemp("principles") / "p.db", create=True)
    store.import_text(PRINCIPLE_FACTS, name="principles.csv")
    return Checker(store, as_of="2026-04-15")


class _ByPrefix(dict):
    """Verdicts by claim text; a key also finds the claim that starts with it ("300 billion" for the text)."""

    def __getitem__(self, key):
        if key in self.keys():
            return super().__getitem__(key)
        hits = [k for k in self if k.startswith(key) or key.startswith(k)]
        if len(hits) != 1:
            raise KeyError(f"{key!r} among {list(self)}")
        return super().__getitem__(hits[0])


def _kinds(checker, text):
    return _ByPrefix({v.claim.text: v.kind.value for v in checker.check_text(text).verdicts})


def test_rates_per_gpu_hour_are_per_hour_and_an_attribute_rate_ends_at_its_comma(principles):
    from factdesk.units import same_rate_noun

    assert same_rate_noun("gpu-hour", "hour") and same_rate_noun("GPU-hr", "gpu-hour")
    assert not same_rate_noun("gpu-hour", "cpu-hour") and not same_rate_noun("hour", "month")
    # "Tern X" is the core of "on-demand price per GPU-hour, Tern X": the Tern GPU's rate is not it
    got = _kinds(principles, "Vela Cloud prices, per GPU-hour on demand:\n- Tern: $1.80\n- Tern X: $3.10\n")
    assert got == {"$1.80": "verified", "$3.10": "verified"}


def test_a_size_label_beside_a_figure_picks_its_variant(principles):
    got = _kinds(principles, "The Lark Watch comes in two sizes: the 46 mm case weighs 38 g.")
    assert got["38 g"] == "verified"
    assert _kinds(principles, "The Lark Watch comes in two sizes: the 46 mm case weighs 36 g.")["36 g"] == "conflicting"


def test_what_a_figure_counts_must_be_what_the_fact_counts(principles):
    got = _kinds(principles, "Heron LM is a mixture-of-experts model with 300 billion parameters.")
    assert got["300 billion parameters"] == "conflicting"      # against total parameters, not the 128 experts
    assert _kinds(principles, "Heron LM routes tokens to 128 experts.")["128 experts"] == "verified"


def test_values_then_and_now_and_facts_that_apply_at_another_time(principles):
    # the article is dated 2026-04-15: the $2.40 price applies from May 1, the $3.10 until then
    both = _kinds(principles, "Vela Cloud cuts prices from May 1.\n- Tern X: $2.40 per GPU-hour ($3.10 now)\n")
    assert both == {"May 1": "unverified", "$2.40 per GPU-hour": "verified", "$3.10": "verified"}
    # a reserved price that exists only from May 1: the date given, it verifies; not given, it is never a conflict
    said = _kinds(principles, "From May 1, a one-year reservation of the Tern X at Vela Cloud costs $1.70 per "
                              "GPU-hour, reserved.")
    assert said["$1.70 per GPU-hour"] == "verified"
    unsaid = _kinds(principles, "A reserved Tern X at Vela Cloud costs $1.50 per GPU-hour, 1-year reserved.")
    assert unsaid["$1.50 per GPU-hour"] == "unverified"


def test_up_to_names_the_maximum(principles):
    # "up to 2,500 nits" against a maximum of 2,000 is wrong, however true it is as a bound
    assert _kinds(principles, "The Lark Watch screen reaches up to 2,000 nits.")["2,000 nits"] == "verified"
    assert _kinds(principles, "The Lark Watch screen reaches up to 2,500 nits.")["2,500 nits"] == "conflicting"
    # "under" is a bound: a lower maximum agrees with it
    assert _kinds(principles, "The Lark Watch screen stays under 2,500 nits.")["2,500 nits"] != "conflicting"


def test_a_bound_confirms_only_a_value_it_was_rounded_from(principles):
    # "under 2,100 nits" is said of 2,000; "under 2,500" is true of 2,000 but not what anyone writing from a
    # 2,000-nit spec sheet says, and "more than 1,500" neither confirms nor contradicts it
    assert _kinds(principles, "The Lark Watch screen stays under 2,100 nits.")["2,100 nits"] == "verified"
    loose = next(v for v in principles.check_text("The Lark Watch screen stays under 2,500 nits.").verdicts)
    assert loose.kind.value == "unverified" and "true of it without stating it" in loose.explanation
    assert _kinds(principles, "The Lark Watch screen reaches more than 1,500 nits.")["1,500 nits"] == "unverified"
    # a bound the value breaks is wrong
    assert _kinds(principles, "The Lark Watch screen reaches more than 2,400 nits.")["2,400 nits"] == "conflicting"


def test_fq2_is_a_fiscal_quarter(principles):
    from extractors.periods import find_periods

    assert [(p.kind, p.token) for p in find_periods("GAAP gross margin FQ2 2026")] == \
        [("quarter", "q2"), ("fiscal_year", "fy2026")]
    text = "In fiscal Q2 2026, Vela Cloud's gross margin was 61.5 percent on a GAAP basis."
    assert _kinds(principles, text)["61.5 percent"] == "verified"
    text = "In fiscal Q2 2026, Vela Cloud's gross margin was 63.5 percent on a GAAP basis."
    assert _kinds(principles, text)["63.5 percent"] == "conflicting"


def test_a_spec_box_belongs_to_its_heading_and_its_lone_amount_is_the_price(principles):
    text = ("Robot vacuums, tested.\n\nKite Vac: $499\n- Height: 9.2 cm\n- Dock: self-emptying\n\n"
            "Wren Vac: $699\n- Height: 10.1 cm\n")
    assert _kinds(principles, text) == {"$499": "verified", "9.2 cm": "verified", "$699": "verified",
                                        "10.1 cm": "verified"}
    changed = _kinds(principles, text.replace("9.2 cm", "9.6 cm"))
    assert changed["9.6 cm"] != "verified" and changed["10.1 cm"] == "verified"


def test_a_gapped_clause_gives_each_figure_the_name_before_it(principles):
    got = _kinds(principles, "Heron LM accepts 400K tokens of context, Crane LM 256K.")
    assert got == {"400K": "verified", "256K": "verified"}
    # Crane LM's, not Heron LM's: against the subject's 400K it would be a conflict
    other = principles.check_text("Heron LM accepts 400K tokens of context, Crane LM 200K.").verdicts[-1]
    assert other.entity == "Crane LM" and other.kind.value != "verified"


def test_slashed_labels_in_a_lead_in_pair_with_slashed_values(principles):
    from extractors.quantities import rate_in

    assert rate_in("input tokens, USD per million") == rate_in("per-million-token price") == \
        rate_in("price per 1M tokens")
    got = _kinds(principles, "List prices per million tokens, input / output:\n- Heron LM: $3.00 / $15.00\n")
    assert got == {"$3.00": "verified", "$15.00": "verified"}
    got = _kinds(principles, "List prices per million tokens, input / output:\n- Heron LM: $15.00 / $3.00\n")
    assert got == {"$15.00": "conflicting", "$3.00": "conflicting"}


def test_a_pair_of_sizes_is_a_width_and_a_height(principles):
    from extractors.claims import _pair_side

    text = "a 3,840 by 2,160 panel in a 36 by 22 by 11 cm case"
    sides = [_pair_side(text, text.find(n), text.find(n) + len(n)) for n in ("3,840", "2,160", "36", "22", "11")]
    assert sides == ["first", "second", None, None, None]
    assert _kinds(principles, "The Lark Display has a 3,840 by 2,160 resolution.") == \
        {"3,840": "verified", "2,160": "verified"}
    assert _kinds(principles, "The Lark Display has a 3,840 by 2,400 resolution.")["2,400"] == "conflicting"


def test_a_monthly_subscription_is_a_price(principles):
    assert _kinds(principles, "Vela Cloud's Pro tier is priced at $29 a month.")["$29 a month"] == "verified"
    assert _kinds(principles, "Vela Cloud's Pro tier is priced at $39 a month.")["$39 a month"] == "conflicting"


def test_a_pipe_table_row_is_about_its_first_cell_and_a_column_about_its_header(principles):
    from extractors.layout import table_cell

    text = ("How they compare:\n\nModel | Height | Price (US / UK)\n--- | --- | ---\n"
            "Kite Vac | 9.2 cm | $499 / £449\nWren Vac | 10.1 cm | $699 / £629\n")
    cell = table_cell(text, text.find("10.1"))
    assert [text[slice(*span)] for span in (cell.cell, cell.first, cell.header)] == ["10.1 cm", "Wren Vac", "Height"]
    assert table_cell(text, text.find("How")) is None
    got = _kinds(principles, text)
    assert got["9.2 cm"] == got["10.1 cm"] == got["$499"] == got["$699"] == "verified"
    assert _kinds(principles, text.replace("$699", "$649"))["$649"] == "conflicting"


def test_reference_values_are_written_as_people_write_money():
    from types import SimpleNamespace

    from factdesk.verdicts import fact_value_text

    def text(value, unit):
        return fact_value_text(SimpleNamespace(value=value, unit=unit))
    assert [text("1399", "USD"), text("3.0", "USD"), text("1249", "GBP"), text("0.45", "USD")] == \
        ["$1,399", "$3.00", "£1,249", "$0.45"]
    assert [text("2017", "year"), text("1047576", "tokens"), text("54.6", "%")] == \
        ["2017 year", "1,047,576 tokens", "54.6%"]


def test_from_old_to_new_is_two_values_not_a_range(principles):
    from extractors.quantities import scan

    assert [m.text for m in scan("The Starter plan goes from $12 to $14 a month.")] == ["$12", "$14 a month"]
    assert [m.text for m in scan("The fee rises by 50 cents to $3.99.")] == ["50 cents", "$3.99"]
    assert [m.text for m in scan("Prices range from $499 to $699.")] == ["$499", "$699"]
    # the old value is the one on file now, the new one takes effect later: each verifies, and a
    # "1 seat" price needs no "1 seat" in the sentence
    got = _kinds(principles, "Vela Cloud's Starter plan goes from $12 to $14 a month.")
    assert got == {"$12": "verified", "$14 a month": "verified"}
    assert _kinds(principles, "Vela Cloud's Starter plan goes from $12 to $16 a month.")["$16 a month"] != "verified"


def test_a_count_per_day_is_no_quarter_total(principles):
    got = _kinds(principles, "Vela Cloud ran 90 million jobs in the first quarter of 2026, about 1 million jobs a day.")
    assert got["90 million"] == "verified" and got["1 million"] == "unverified"


def test_spaced_grams_before_a_comparison():
    from extractors.quantities import scan

    assert [(m.text, m.quantity.unit) for m in scan("against 515 g for the Halo")] == [("515 g", "g")]


def test_a_maker_s_possessive_names_its_product_and_a_rival_owns_its_relative_clause(principles):
    text = ("Corvane Aster review\n\nThe Corvane Aster reaches 3,000 nits. That is brighter than Halden's Stride, "
            "the Corvane Aster's closest rival at $379, which tops out at 2,500 nits.\n")
    got = {v.claim.text: (v.kind.value, v.entity) for v in principles.check_text(text).verdicts}
    assert got["3,000 nits"] == ("verified", "Corvane Aster")
    assert got["$379"] == ("verified", "Halden Stride") and got["2,500 nits"] == ("verified", "Halden Stride")


def test_a_level_reached_is_no_price_and_a_period_s_end_is_a_label(principles):
    text = "Vela Cloud's operating income came in at $611 million in the first quarter of 2026."
    assert _kinds(principles, text)["$611 million"] == "verified"
    got = _kinds(principles, "Vela Cloud forecast revenue of $17 billion for the year to March 2027.")
    assert got["March 2027"] == "unverified" and got["$17 billion"] == "verified"


def test_an_as_of_date_in_an_attribute_need_not_be_said_and_net_sales_are_revenue(principles):
    from extractors.lexicon import replace_phrases

    assert replace_phrases("net sales rose") == replace_phrases("revenue rose")
    assert _kinds(principles, "Vela Cloud now has 48,300 customers.")["48,300 customers"] == "verified"
    text = "Vela Cloud's net sales for the three months to March 31 were $410 million."
    assert _kinds(principles, text)["$410 million"] == "verified"


def test_a_figure_thousands_of_times_off_is_another_quantity(principles):
    # a scale slip (million for billion) is a thousandfold and still a conflict; a price beside revenue is not
    got = _kinds(principles, "Vela Cloud reported Q1 2026 revenue of $410 billion.")
    assert got["$410 billion"] == "conflicting"
    checked = principles.check_text("Vela Cloud reported Q1 2026 revenue as it raised a fee to $9.")
    fee = next(v for v in checked.verdicts if v.claim.text.startswith("$9"))
    assert fee.kind.value == "unverified"


def test_a_gapped_figure_takes_the_name_before_it_and_the_counted_noun_before_that(principles):
    got = {v.claim.text: (v.kind.value, v.entity) for v in principles.check_text(
        "The family has two models. Kite LM has 9 billion parameters and Wren LM 34 billion.").verdicts}
    assert got["9 billion"] == ("verified", "Kite LM") and got["34 billion"] == ("verified", "Wren LM")


def test_a_bold_heading_heads_the_bullets_under_it(principles):
    text = ("Strand launches two\n\nThe Strand Glide costs $149.99.\n\n**Strand Keel spec box**\n"
            "- Weight: 1.48 kg\n- Price: $179.99\n")
    got = {v.claim.text: (v.kind.value, v.entity) for v in principles.check_text(text).verdicts}
    assert got["1.48 kg"] == ("verified", "Strand Keel") and got["$179.99"] == ("verified", "Strand Keel")


def test_long_texts_are_parsed_in_pieces_with_the_same_verdicts(checker):
    from factdesk.check import CHUNK_CHARS

    block = ("Nimbus 3 scored 71.4 percent on Arcbench Pro, ahead of Llama 9 at 60 percent.\n\n"
             "The Kestrel Board 2 costs $99 with 4GB and runs at 3.1 GHz.\n\n")
    text = block * (CHUNK_CHARS // len(block) * 3)
    long = checker.check_text(text)
    whole = checker.conclude(checker._gather("x", text, checker.nlp(text), ()))
    assert len(text) > 2 * CHUNK_CHARS
    assert [(v.claim.start, v.claim.end, v.kind, v.entity) for v in long.verdicts] == \
        [(v.claim.start, v.claim.end, v.kind, v.entity) for v in whole.verdicts]
    # versioned names unknown to the database stay names, not numbers, in every piece
    assert not any(v.claim.text == "9" for v in long.verdicts)


def test_a_known_name_with_a_variant_suffix_is_another_product(verdict_of):
    v = verdict_of("The Kestrel Board 2 SE tops out at 8GB of RAM.", "8GB")
    assert v.kind is U and v.entity == "Kestrel Board 2 SE"
    assert verdict_of("The Kestrel Board 2 API tops out at 16GB of RAM.", "16GB").kind is V   # vocabulary


def test_a_piece_of_a_hyphenated_name_is_no_product(principles):
    text = "Corvane Mesh review\n\nThe Corvane Mesh is a Wi-Fi 7 router that costs $449."
    verdict = next(v for v in principles.check_text(text).verdicts if v.claim.text == "$449")
    assert verdict.kind.value == "verified" and verdict.entity == "Corvane Mesh"


def test_a_name_of_another_line_in_the_sentence_does_not_cast_doubt_on_the_topics_figure(verdict_of):
    """A machine the thing was shown or measured beside is not a sibling that might own the figure: only a name
    sharing a word with the entity on file ("Kestrel Board 2 Max" of "Kestrel Board 2") stands in for it."""
    v = verdict_of("Kestrel Board 2 review. Next to a Zorin X900 desktop, the board weighs just 62 g.", "62 g")
    assert v.kind is V and v.entity == "Kestrel Board 2" and v.confidence >= 0.9
    sibling = verdict_of("Kestrel Board 2 review. Next to it, the new Kestrel Board 2 Max weighs 62 g.", "62 g")
    assert sibling.kind is U and sibling.entity == "Kestrel Board 2 Max"
