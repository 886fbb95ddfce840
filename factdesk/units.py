"""Unit compatibility and conversion between what an article wrote and what a fact stores (pint)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from extractors.lexicon import normalize
from extractors.model import Kind, Qualifier, Quantity

from .facts import FactReading

_PINT_NAMES = {
    "B": "byte", "KB": "kilobyte", "MB": "megabyte", "GB": "gigabyte", "TB": "terabyte", "PB": "petabyte",
    "KiB": "kibibyte", "MiB": "mebibyte", "GiB": "gibibyte", "TiB": "tebibyte",
    "Kb": "kilobit", "Mb": "megabit", "Gb": "gigabit", "Tb": "terabit", "Pb": "petabit",
    "KB/s": "kilobyte/second", "MB/s": "megabyte/second", "GB/s": "gigabyte/second", "TB/s": "terabyte/second",
    "PB/s": "petabyte/second", "Kb/s": "kilobit/second", "Mb/s": "megabit/second", "Gb/s": "gigabit/second",
    "Tb/s": "terabit/second", "Pb/s": "petabit/second",
    "Hz": "hertz", "KHz": "kilohertz", "MHz": "megahertz", "GHz": "gigahertz", "THz": "terahertz",
    "PHz": "petahertz", "MT/s": "megatransfer/second", "GT/s": "gigatransfer/second",
    "W": "watt", "kW": "kilowatt", "mW": "milliwatt", "Wh": "watt_hour", "kWh": "kilowatt_hour",
    "mAh": "milliampere_hour", "V": "volt", "A": "ampere", "mA": "milliampere", "nit": "nit",
    "nm": "nanometer", "mm": "millimeter", "cm": "centimeter", "m": "meter", "km": "kilometer",
    "inch": "inch", "ft": "foot", "mile": "mile", "g": "gram", "kg": "kilogram", "mg": "milligram",
    "lb": "pound", "oz": "ounce", "t": "metric_ton", "kelvin": "kelvin", "degC": "degree_Celsius", "degF": "degree_Fahrenheit",
    "ppi": "pixel_count/inch", "TBW": "terabyte_written", "PBW": "petabyte_written", "mph": "mile/hour", "km/h": "kilometer/hour", "rpm": "revolution/minute", "MP": "megapixel",
    "TOPS": "teraop/second", "TFLOPS": "teraflop/second", "PFLOPS": "petaflop/second",
    "tokens/s": "token/second", "ms": "millisecond", "s": "second", "min": "minute", "h": "hour",
    "day": "day", "week": "week", "month": "month", "year": "year", "decade": "decade",
}
# Pint multiplies through offsets poorly; temperatures compare only in the same unit.
_OFFSET_UNITS = {"degC", "degF"}


@lru_cache(maxsize=1)
def _registry():
    import pint

    ureg = pint.UnitRegistry()
    ureg.define("transfer = [transfer]")
    ureg.define("token = [token]")
    ureg.define("pixel_count = [pixel]")
    ureg.define("megapixel = 1e6 * pixel_count")
    ureg.define("op = [operation]")
    ureg.define("teraop = 1e12 * op")
    ureg.define("flop = [flop]")
    ureg.define("teraflop = 1e12 * flop")
    ureg.define("petaflop = 1e15 * flop")
    ureg.define("nit = candela / meter ** 2")
    ureg.define("terabyte_written = [endurance]")
    ureg.define("petabyte_written = 1000 * terabyte_written")
    ureg.define("megatransfer = 1e6 * transfer")
    ureg.define("gigatransfer = 1e9 * transfer")
    return ureg


def _is_information(name: str) -> bool:
    return "bit" in name or "byte" in name


@lru_cache(maxsize=4096)
def conversion_factor(src: str, dst: str) -> float | None:
    """How many `dst` one `src` is, or None when they measure different things."""
    if src == dst:
        return 1.0
    if src in _OFFSET_UNITS or dst in _OFFSET_UNITS:
        return None
    a, b = _PINT_NAMES.get(src), _PINT_NAMES.get(dst)
    if not a or not b:
        return None
    if _is_information(a) != _is_information(b):
        return None   # pint counts bits as dimensionless: 28 Gb/s would "equal" 28 GHz
    ureg = _registry()
    try:
        return float(ureg.Quantity(1.0, a).to(b).magnitude)
    except Exception:  # pint's DimensionalityError and undefined units alike mean "not comparable"
        return None


@dataclass(frozen=True)
class Comparable:
    """A claim's numbers expressed in the fact's unit."""

    value: float | str
    step: float | str


def _same_currency(claim_unit: str | None, fact_unit: str | None) -> bool:
    if not claim_unit or not fact_unit:
        return False
    return fact_unit in claim_unit.split("/")


_RATE_ABBREVIATIONS = {"hr": "hour", "hrs": "hour", "h": "hour", "mo": "month", "mth": "month", "yr": "year",
                       "min": "minute", "sec": "second", "wk": "week"}


def same_rate_noun(a: str, b: str) -> bool:
    """Whether two rates are per the same thing: "gpu-hour" and "hour" (a GPU-hour is an hour of one GPU),
    "GPU-hr" and "GPU-hour"; not "hour" and "month", nor "gpu-hour" and "cpu-hour"."""
    def parts(noun: str) -> tuple[str, str]:
        *mods, head = noun.lower().replace(" ", "-").split("-")
        return "-".join(mods), normalize(_RATE_ABBREVIATIONS.get(head, head))

    (mod_a, head_a), (mod_b, head_b) = parts(a), parts(b)
    if head_a != head_b:
        return normalize(a) == normalize(b)
    return not mod_a or not mod_b or normalize(mod_a) == normalize(mod_b)


def is_period_label(q: Quantity) -> bool:
    """"Q3", "fiscal 2026": which period a figure is for, not a date anything happened on."""
    return q.kind is Kind.DATE and (q.precision in ("quarter", "half") or str(q.value).startswith("FY"))


# the kinds of fact a figure of each kind can be compared with at all (`comparable` decides the rest)
_MEASURES = (Kind.PERCENT, Kind.POINTS, Kind.MULTIPLIER)
COMPARABLE_KINDS: dict[Kind, frozenset[Kind]] = {
    Kind.DATE: frozenset({Kind.DATE}),
    Kind.MONEY: frozenset({Kind.MONEY}),
    **{k: frozenset({k}) for k in _MEASURES},
    Kind.QUANTITY: frozenset({Kind.QUANTITY, Kind.DURATION}),
    Kind.DURATION: frozenset({Kind.QUANTITY, Kind.DURATION}),
    Kind.COUNT: frozenset({Kind.COUNT, Kind.NUMBER, Kind.PERCENT}),
    Kind.NUMBER: frozenset({Kind.COUNT, Kind.NUMBER, Kind.PERCENT}),
}


def comparable(q: Quantity, r: FactReading) -> Comparable | None:
    """The claim in the fact's unit, or None when the two measure different dimensions.

    Only dimensions decide here (money in the same currency, convertible units, counts with counts, dates with
    dates); whether the words say the same thing is evidence the matcher weighs, not a condition.
    """
    if r.kind not in COMPARABLE_KINDS.get(q.kind, ()):
        return None
    if q.kind is Kind.DATE:
        return None if is_period_label(q) else Comparable(q.value, q.precision)
    if not isinstance(q.value, float) or not isinstance(r.value, float):
        return None
    factor = 1.0
    if q.kind is Kind.MONEY:
        if not _same_currency(q.unit, r.unit):
            return None
        if q.per and r.per:
            if not q.per.noun or not r.per.noun:
                # "$3 per million" names no noun: a rate per the same count of whatever the fact counts
                if q.per.amount != r.per.amount:
                    return None
            elif not same_rate_noun(q.per.noun, r.per.noun):
                return None
            factor = r.per.amount / q.per.amount
    elif q.kind in (Kind.QUANTITY, Kind.DURATION):
        if q.unit is None or r.unit is None:
            return None
        f = conversion_factor(q.unit, r.unit)
        if f is None:
            return None
        factor = f
    elif r.kind is Kind.PERCENT and q.kind is not Kind.PERCENT:
        # a bare score in a benchmark list ("MMLU-Pro: 78.4") may be a percentage
        if q.unit_words or q.range_end or not 0 <= q.value <= 100:
            return None
    return Comparable(q.value * factor, float(q.precision) * factor if isinstance(q.precision, float) else q.precision)


def _date_agrees(claim_value: str, ref: str) -> bool:
    ref = ref.strip()
    if claim_value.startswith("FY") or ref.startswith("FY"):
        return claim_value == ref
    if "-Q" in claim_value or claim_value.startswith("Q"):
        year, _, quarter = claim_value.rpartition("Q")
        year = year.rstrip("-")
        parts = ref.split("-")
        if year and parts[0] != year:
            return False
        return len(parts) < 2 or (int(parts[1]) - 1) // 3 + 1 == int(quarter)
    if claim_value.startswith("--"):
        parts = ref.split("-")
        said = claim_value[2:].split("-")      # "--05" (last May) or "--10-14" (October 14)
        return len(parts) < 2 or (parts[1] == said[0] and (len(said) < 2 or len(parts) < 3 or parts[2] == said[1]))
    cparts, rparts = claim_value.split("-"), ref.split("-")
    n = min(len(cparts), len(rparts))
    return cparts[:n] == rparts[:n]


def _last_digit_unit(value: float) -> float:
    """The place of a number's last significant digit: 2950 -> 10, 95 -> 1, 8e6 -> 1e6, 5.5e6 -> 1e5."""
    if value == 0:
        return 0.0
    digits = f"{abs(value):.12g}".split("e")[0].replace(".", "").strip("0")
    return 10 ** (math.floor(math.log10(abs(value))) - max(1, len(digits)) + 1)


def _slack(value: float, step: float) -> float:
    """How far a hedged figure reaches: one unit in the last digit written, at most a tenth ("about 2,950" is
    2,940-2,960)."""
    return max(step, min(_last_digit_unit(value), 0.1 * abs(value)))


ROUNDING = 0.06        # rounding never moves a figure more than this share of itself ("$2" is not $1.50)
POINT_ROUNDING = 0.6   # nor a percentage more than this many points
BOUND_NEAR = 0.1       # a bound ("more than 30%", "less than $6 million") confirms a value within a tenth of it


def _bound_near(value: float, step: float) -> float:
    """How far from a bound a value it confirms may lie (a hedge's `_slack` is at most a tenth; a round bound's
    reach is its last digit: "over 30%" confirms 30 to 40)."""
    return max(step, _last_digit_unit(value), BOUND_NEAR * abs(value))


def _tolerance(step: float) -> float:
    """Half the unit of the last digit written, and a hair for floating point."""
    return step / 2 * (1 + 1e-9) + 1e-12


def agreement_span(value: Comparable, qualifier: Qualifier, binary: bool = False) -> tuple[float, float]:
    """A span holding every reference value `agrees` can accept for this figure (wider, never narrower), so that
    counting the values a figure agrees with need not read every value of its dimension."""
    step, spans = float(value.step), []
    for c in _readings(value.value, binary):
        # rounding, truncation and a hedge stay within 0.15 of the figure (or a point); a bound within its near
        reach = max(step, 0.15 * abs(c), 1.0)
        if qualifier in (Qualifier.AT_LEAST, Qualifier.AT_MOST):
            reach = max(reach, _bound_near(c, step))
        spans.append((c - reach - step, c + reach + step))
    return min(lo for lo, _ in spans), max(hi for _, hi in spans)


def bound_holds(q: Quantity, value: Comparable, r: FactReading) -> bool:
    """Whether a fact's value satisfies a bound the figure sets ("more than 250,000" and 1,000,000), however far
    from it: such a value neither confirms nor contradicts the figure."""
    if q.qualifier not in (Qualifier.AT_LEAST, Qualifier.AT_MOST) or not isinstance(value.value, float) \
            or not isinstance(r.value, float):
        return False
    tol = _tolerance(float(value.step))
    if q.qualifier is Qualifier.AT_LEAST:
        return any(r.value >= c - tol for c in _readings(value.value, q.binary_scale))
    return any(r.value <= c + tol for c in _readings(value.value, q.binary_scale))


def _readings(v: float, binary: bool) -> list[float]:
    """The values a figure can mean: "128K tokens" is also 131,072, "1M" also 1,048,576."""
    if binary and v >= 1000:
        base, binary_base = (1e6, 1048576.0) if v >= 1e6 else (1e3, 1024.0)
        return [v, v / base * binary_base]
    return [v]


def states(q: Quantity, value: Comparable, r: FactReading) -> bool:
    """Whether a figure (`value`: the claim in the fact's unit) agrees with a fact's value."""
    return agrees(value, r.value, q.qualifier, q.binary_scale, q.kind, r.step)


def agrees(value: Comparable, ref: float | str, qualifier: Qualifier, binary: bool = False,
           kind: Kind | None = None, ref_step: float = 0.0) -> bool:
    """Whether a reference value agrees with the claim at the precision and hedge the article used; a figure
    written more precisely than the source agrees when it rounds to the source's figure ("$27.01 billion"
    for "$27.0 billion")."""
    if isinstance(value.value, str) or isinstance(ref, str):
        return isinstance(value.value, str) and isinstance(ref, str) and _date_agrees(value.value, ref)
    v, step, r = value.value, float(value.step), float(ref)
    tol = _tolerance(step)
    for c in _readings(v, binary):
        bound = POINT_ROUNDING if kind in (Kind.PERCENT, Kind.POINTS) else ROUNDING * abs(c)
        if kind is Kind.MONEY and step >= 1 and abs(r) < 1000 and round(r * 100) % 100:
            bound = 0.01 * abs(c)        # a price with cents on file: "$2" for $1.99, never for $1.50
        # a source figure written with decimals ("27.0"), or a percentage, is itself rounded: a more precise
        # figure that rounds to it agrees; a whole number ("6" GHz) may be exact and is not widened
        exact = min(max(tol, ref_step / 2 * (1 + 1e-9)), bound + 1e-12)
        if qualifier is Qualifier.APPROX:
            if abs(r - c) <= _slack(c, step) + 1e-9 * abs(c):
                return True
        elif qualifier is Qualifier.NEARLY:
            if c - _slack(c, step) - tol <= r <= c + tol:
                return True
        # a bound confirms a value it was rounded from: within one unit of its last digit or a tenth of it
        # ("over 30%" for 35%, "more than 3.5 billion" for 3.8 billion); a value further off only fails to
        # contradict it (`bound_holds`): "≤250K tokens" does not state a threshold of 200,000, nor "more than 40
        # million trips a day" 3.8 billion a quarter
        elif qualifier is Qualifier.AT_LEAST:
            if c - tol <= r < c + _bound_near(c, step) * (1 - 1e-9):
                return True
        elif qualifier is Qualifier.AT_MOST:
            if c - _bound_near(c, step) * (1 - 1e-9) < r <= c + tol:
                return True
        # exact, or "up to 240 minutes": a maximum of 200 makes "up to 240" wrong, however true as a bound;
        # truncation too: "$5.5M" for $5.576M
        elif abs(r - c) <= exact or (c >= 0 and c - 1e-12 <= r < c + min(step, bound) * (1 - 1e-9)):
            return True
    return False
