"""The scanner reads numbers as a careful reader would: value, unit, kind, precision and hedges."""
import pytest

from extractors.model import Kind, Qualifier
from extractors.quantities import scan


def one(text):
    found = scan(text)
    assert len(found) == 1, [m.text for m in found]
    return found[0]


@pytest.mark.parametrize("text,value,unit,kind", [
    ("It sells for $2.50 today", 2.5, "USD", Kind.MONEY),
    ("a US$4.7 billion deal", 4.7e9, "USD", Kind.MONEY),
    ("revenue of €35bn", 35e9, "EUR", Kind.MONEY),
    ("priced at USD 200", 200, "USD", Kind.MONEY),
    ("it scored 54.9 percent", 54.9, "%", Kind.PERCENT),
    ("it scored 54.9%", 54.9, "%", Kind.PERCENT),
    ("a gap of 16 percentage points", 16, "pp", Kind.POINTS),
    ("a 128K window", 128000, None, Kind.NUMBER),
    ("with 1.5k stars", 1500, None, Kind.NUMBER),
    ("bandwidth of 17GB/s", 17, "GB/s", Kind.QUANTITY),
    ("a 5,000 mAh cell", 5000, "mAh", Kind.QUANTITY),
    ("peaks at 1,600 nits", 1600, "nit", Kind.QUANTITY),
    ("runs at 2.4 GHz", 2.4, "GHz", Kind.QUANTITY),
    ("a 16nm chip", 16, "nm", Kind.QUANTITY),
    ("is 3x faster", 3, "x", Kind.MULTIPLIER),
])
def test_values_units_kinds(text, value, unit, kind):
    m = one(text)
    assert m.quantity.value == pytest.approx(value)
    assert m.quantity.unit == unit
    assert m.quantity.kind is kind
    assert text[m.start:m.end] == m.text


def test_rate_denominator_is_part_of_the_claim():
    m = one("The model costs $2 per million input tokens.")
    assert m.quantity.value == 2 and m.quantity.per.amount == 1e6 and m.quantity.per.noun == "token"
    assert m.text == "$2 per million input tokens"


def test_a_rate_ends_where_the_sentence_moves_on():
    # "through the API" is how it is sold, not what it is per; "a year ago" is when, not per year
    m = one("The model costs $3 per million output tokens through the API.")
    assert m.text == "$3 per million output tokens" and m.quantity.per.noun == "token"
    m = one("Revenue was $62.0 billion a year ago.")
    assert m.text == "$62.0 billion" and m.quantity.per is None
    assert one("The plan costs $120 a year.").quantity.per.noun == "year"


def test_a_count_that_names_no_noun_is_a_rate_of_something_unsaid():
    # a price table's "per million" and "per million input" count tokens the reader knows; "input" says which
    # price, since more than one of a counted thing would be written in the plural
    m = one("| Orca | $3 per million |")
    assert (m.quantity.per.amount, m.quantity.per.noun, m.text) == (1e6, "", "$3 per million")
    m = one("It costs $1.10 per million input, the company says.")
    assert (m.quantity.per.amount, m.quantity.per.noun, m.text) == (1e6, "", "$1.10 per million input")
    assert one("Ads cost $5 per 1,000 views.").quantity.per.noun == "view"
    assert one("Storage costs $0.10 per GB.").quantity.per.noun == "gb"
    assert one("Lunch costs $12 a person.").quantity.per.noun == "person"


def test_number_words_and_their_precision():
    m = one("a window of one million tokens")
    assert m.quantity.value == 1e6 and m.quantity.precision == 1e6
    assert one("a dozen rivals").quantity.value == 12


def test_digits_state_their_precision():
    assert one("scored 54.9 percent").quantity.precision == pytest.approx(0.1)
    assert one("costs $0.025 each").quantity.precision == pytest.approx(0.001)


@pytest.mark.parametrize("text,qualifier", [
    ("roughly 20 percent cheaper", Qualifier.APPROX),
    ("nearly 40 percent", Qualifier.NEARLY),
    ("more than 15 percent", Qualifier.AT_LEAST),
    ("up to 8GB of memory", Qualifier.UP_TO),
    ("less than 8GB of memory", Qualifier.AT_MOST),
    ("for less than $6 million", Qualifier.AT_MOST),
    ("trained on 15T+ tokens", Qualifier.AT_LEAST),
])
def test_hedges_and_bounds(text, qualifier):
    assert one(text).quantity.qualifier is qualifier


@pytest.mark.parametrize("text,value,precision", [
    ("launched on April 14, 2025", "2025-04-14", "day"),
    ("its June 2024 cutoff", "2024-06", "month"),
    ("results for Q3 2024", "2024-Q3", "quarter"),
    ("in the fourth quarter of fiscal 2024", "2024-Q4", "quarter"),
    ("prices change from February 8th", "--02-08", "day"),
])
def test_dates(text, value, precision):
    m = one(text)
    assert (m.quantity.kind, m.quantity.value, m.quantity.precision) == (Kind.DATE, value, precision)


def test_a_range_is_its_two_ends_in_the_high_ends_unit_and_scale():
    # each end states its own fact (a low and a high, a base clock and a boost clock)
    def ends(text):
        return [(m.text, m.quantity.value, m.quantity.unit, m.quantity.kind, m.quantity.range_end) for m in scan(text)]

    assert ends("a 2-3x uplift") == [("2", 2, "x", Kind.MULTIPLIER, "low"), ("3x", 3, "x", Kind.MULTIPLIER, "high")]
    low, high = scan("input costs ¥0.5-2 per million tokens")
    assert (low.quantity.kind, low.quantity.per, high.text) == (Kind.MONEY, high.quantity.per, "2 per million tokens")
    assert ends("base and boost clocks of 3.5 to 5.3GHz")[0] == ("3.5", 3.5, "GHz", Kind.QUANTITY, "low")
    low, high = scan("revenue guidance of $5.1 to $5.5 billion")
    assert (low.quantity.value, low.quantity.precision) == (pytest.approx(5.1e9), pytest.approx(1e8))
    assert high.quantity.value == pytest.approx(5.5e9)
    # a hedge before the range covers both ends, as it covered the range
    assert [m.quantity.qualifier for m in scan("about 5-10 million users")] == [Qualifier.APPROX] * 2


def test_identifiers_are_not_numbers():
    text = "The Cortex-A76 cores and the RP2040 sit beside an H800 and GPT-4.1."
    assert scan(text) == []


def test_a_count_of_gpus_is_not_a_year():
    assert one("trained on 2048 GPUs").quantity.kind is Kind.COUNT
    assert one("the 2024 version").quantity.kind is Kind.DATE


def test_video_mode_is_a_refresh_rate():
    m = one("drives two 4Kp60 displays" .replace("two ", ""))
    assert (m.quantity.value, m.quantity.unit) == (60, "Hz")
