"""Unit compatibility and conversion between what an article wrote and what a fact stores (pint)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from extractors.lexicon import normalize
from extractors.model import Kind, Quantity

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
    high: float | None


_BILLING_PERIODS = {"month", "year", "week"}
_BILLING_WORDS = {"month": "month", "annual": "year", "year": "year", "week": "week"}   # normalised forms


def _same_currency(claim_unit: str | None, fact_unit: str | None) -> bool:
    if not claim_unit or not fact_unit:
        return False
    return fact_unit in claim_unit.split("/")


def _said_beside(r: FactReading, context: dict[str, float]) -> bool:
    """Every word naming the fact's attribute stands right beside the number."""
    words = r.identifiers + r.descriptors
    return bool(words) and all(context.get(w, 0.0) >= 0.85 for w in words)


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


def comparable(q: Quantity, r: FactReading, context: dict[str, float]) -> Comparable | None:
    """The claim in the fact's unit, or None when the two cannot be compared at all."""
    if q.kind is Kind.DATE or r.kind is Kind.DATE:
        if q.kind is Kind.DATE and (q.precision in ("quarter", "half") or str(q.value).startswith("FY")):
            return None   # "Q3", "fiscal 2026": which period, not a date anything happened on
        if q.kind is Kind.DATE and r.kind is Kind.DATE:
            return Comparable(q.value, q.precision, None)
        return None
    if not isinstance(q.value, float) or not isinstance(r.value, float):
        return None
    factor = 1.0
    if q.kind is Kind.MONEY or r.kind is Kind.MONEY:
        if not (q.kind is Kind.MONEY and r.kind is Kind.MONEY and _same_currency(q.unit, r.unit)):
            return None
        if q.per is None and r.per is not None and r.per.noun == "share" and context.get("ep", 0.0) >= 0.5:
            pass          # "Diluted EPS: $1.27": per share, said by the label
        elif q.per is None and r.per is not None and r.per.amount == 1 and r.per.noun in _BILLING_PERIODS:
            # "Standard goes to $17.49": a plan's price is quoted per billing period unsaid, unless the
            # sentence names another period ("the annual plan rises to $174.99")
            said = {period for word, period in _BILLING_WORDS.items() if context.get(word, 0.0) >= 0.5}
            if said and r.per.noun not in said:
                return None
        elif (q.per is None) != (r.per is None):
            return None
        if q.per and r.per:
            if not same_rate_noun(q.per.noun, r.per.noun):
                return None
            factor = r.per.amount / q.per.amount
    elif q.kind in (Kind.PERCENT, Kind.POINTS, Kind.MULTIPLIER):
        if r.kind is not q.kind:
            return None
    elif q.kind in (Kind.QUANTITY, Kind.DURATION):
        if r.kind not in (Kind.QUANTITY, Kind.DURATION) or q.unit is None or r.unit is None:
            return None
        f = conversion_factor(q.unit, r.unit)
        if f is None:
            return None
        factor = f
    elif q.kind in (Kind.NUMBER, Kind.COUNT) and not q.unit_words and r.kind is Kind.PERCENT:
        # "MMLU-Pro: 78.4" in a benchmark list: a bare score right beside the benchmark's name
        if q.high is not None or not 0 <= q.value <= 100 or not _said_beside(r, context):
            return None
    elif q.kind in (Kind.COUNT, Kind.NUMBER) and r.kind is Kind.NUMBER:
        # a score in points: a bare number, or one counted in "points"
        # "2,950 single-core": what follows may name the benchmark rather than count anything
        if q.unit_words and normalize(q.unit_words[0]) not in ("point", "pt", "score") and \
                not {normalize(w) for w in q.unit_words} & set(r.descriptors + r.identifiers):
            return None
    elif q.kind in (Kind.COUNT, Kind.NUMBER):
        if r.kind is not Kind.COUNT:
            return None
        if r.unit_words:
            head = r.unit_words[-1]
            claim_words = {normalize(w) for w in q.unit_words}
            if claim_words:
                # "a 256K context": what is counted may be named by the attribute itself
                if head not in claim_words and normalize(q.unit_words[0]) not in r.descriptors + r.identifiers:
                    return None
            elif context.get(head, 0.0) < 0.5 and not _said_beside(r, context):
                # "a 256K context window": the attribute itself says what is counted
                return None
        elif q.unit_words and not q.binary_scale:
            # "318 billion parameters" counts parameters: a count of experts is another figure
            said = {normalize(w) for w in q.unit_words}
            if not said & set(r.descriptors + r.identifiers + r.qualifiers + r.generic):
                return None
    else:
        return None
    high = q.high * factor if q.high is not None else None
    return Comparable(q.value * factor, float(q.precision) * factor if isinstance(q.precision, float) else q.precision,
                      high)
