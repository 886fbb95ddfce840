"""The beat a fact belongs to (AI models, chips and devices, company results), for counts and the reference
browser: a registry's beat is its subject; a primary-source fact's is read from its attribute and unit."""
from __future__ import annotations

import re

AI_MODELS, HARDWARE, RESULTS, OTHER = "AI models", "chips and devices", "company results", "other"
BEATS = (AI_MODELS, HARDWARE, RESULTS, OTHER)
_REGISTRY_BEATS = {"LiteLLM registry": AI_MODELS, "Epoch AI benchmarks": AI_MODELS, "Epoch AI models": AI_MODELS,
                   "BuildCores OpenDB": HARDWARE, "Wikipedia GPU lists": HARDWARE, "LineageOS wiki": HARDWARE,
                   "SEC EDGAR XBRL": RESULTS}
_PERIOD = re.compile(r"\b(?:Q[1-4]|H[12]|FY\s?\d{2,4}|fiscal|quarter)\b", re.IGNORECASE)
_RESULTS = re.compile(r"\b(?:revenue|income|EPS|earnings|margin|outlook|guidance|sales|profit|cash flow|"
                      r"operating|expenses|dividend|buyback)\b", re.IGNORECASE)
_AI = re.compile(r"\b(?:tokens?|parameters?|context|benchmark|score|shot|pass@|MMLU|GPQA|HumanEval|MATH|"
                 r"SWE-bench|Arena|layers|attention heads|training)\b", re.IGNORECASE)


def beat_of(origin: str, attribute: str, unit: str) -> str:
    """Which beat a fact is about."""
    if origin in _REGISTRY_BEATS:
        return _REGISTRY_BEATS[origin]
    if _RESULTS.search(attribute) and (_PERIOD.search(attribute) or "USD" in unit or unit == "%"):
        return RESULTS
    if _AI.search(attribute) or re.search(r"tokens|parameters", unit):
        return AI_MODELS
    if unit:
        return HARDWARE
    return OTHER
