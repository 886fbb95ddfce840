"""Which period a results story reports, when the database holds other quarters than the story's: the quarter
and fiscal year the story names stand, a quarter not yet reported when it was written is not what it states,
and a bound ("more than 45 million a day") is not said of a quarter's total."""
import pytest

from factdesk.verdicts import VerdictKind

V, C, U = VerdictKind.VERIFIED, VerdictKind.CONFLICTING, VerdictKind.UNVERIFIED

# a database that knows last year's second quarter and this year's first, not this year's second
FACTS = """entity,attribute,value,unit,as_of,source_url,note
Quorra,revenue (Q2 FY2024),62.0,billion USD,2024-01-30,https://example.org/quorra-q2-fy2024,
Quorra,revenue growth year over year (Q2 FY2024),18,%,2024-01-30,https://example.org/quorra-q2-fy2024,
Quorra,revenue (Q1 FY2025),65.6,billion USD,2024-10-30,https://example.org/quorra-q1-fy2025,
Quorra,revenue (Q3 FY2025),70.1,billion USD,2025-04-30,https://example.org/quorra-q3-fy2025,
Kestrel Rides,trips (Q4 2025),3800000000,count,2026-02-04,https://example.org/kestrel-q4-2025,
Kestrel Rides,revenue (Q1 2026),14.9,billion USD,2026-05-06,https://example.org/kestrel-q1-2026,
"""

STORY = ("Quorra beats estimates in its fiscal second quarter\n\n"
         "Quorra reported results for the second quarter of fiscal 2025 on Wednesday. For the second quarter, "
         "revenue was $69.6 billion, up from $62.0 billion a year ago. The fiscal 2025 second quarter was the "
         "company's best.\n")


@pytest.fixture(scope="module")
def checker(checker_on):
    return checker_on(FACTS)


def _verdicts(checker, text, published):
    return {v.claim.text: v for v in checker.check_text(text, published=published).verdicts}


def test_a_quarter_not_on_file_is_not_last_years_same_quarter(checker):
    vs = _verdicts(checker, STORY, "2025-01-29")
    this_year = vs["$69.6 billion"]
    assert this_year.kind is U             # Q2 FY2025 is not on file; Q2 FY2024's $62.0 billion is not its reference
    year_ago = vs["$62.0 billion"]
    assert year_ago.kind is V and year_ago.fact.attribute == "revenue (Q2 FY2024)"


def test_without_the_story_naming_its_year_the_latest_year_of_its_quarter_stands(checker):
    from factdesk.evidence import _article_period

    # named once each, the fiscal years do not say which one the story reports
    assert _article_period((("fy2024", 1), ("fy2025", 1), ("q2", 3))) == {}
    assert _article_period((("fy2024", 1), ("fy2025", 3), ("q*", 2), ("q2", 5))) == {"quarter": "q2",
                                                                                    "fiscal_year": "fy2025"}


def test_results_published_after_the_story_are_not_what_it_states(checker):
    text = "Kestrel Rides expects first-quarter revenue of $14.1 billion, the company said in February."
    early = _verdicts(checker, text, "2026-02-10")["$14.1 billion"]
    assert early.kind is U                 # Q1 2026 had not ended; its actual $14.9 billion is no reference yet
    later = _verdicts(checker, "Kestrel Rides reported first-quarter revenue of $14.1 billion.", "2026-05-08")
    assert later["$14.1 billion"].kind is C


def test_a_bound_is_said_of_a_value_of_its_own_order(checker):
    per_day = _verdicts(checker, "Kestrel Rides now completes more than 45 million trips every day.",
                        "2026-02-10")["45 million"]
    assert per_day.kind is not V           # true of 3.8 billion a quarter, but not what was said
    quarter = _verdicts(checker, "Kestrel Rides completed more than 3.5 billion trips in the fourth quarter.",
                        "2026-02-10")["3.5 billion"]
    assert quarter.kind is V
