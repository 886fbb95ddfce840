"""How each verdict looks: colour plus a second cue (glyph and underline style), never colour alone."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VerdictStyle:
    label: str
    glyph: str
    ink: str          # text and underline colour
    fill: str         # soft background behind the span
    underline: str    # "solid", "wave" or "dots": the non-colour cue in the editor
    order: int        # worst first when sorting by verdict


NOT_A_CLAIM = "not_a_claim"
VERDICT_STYLE = {
    "conflicting": VerdictStyle("Conflicting", "✗", "#b42318", "#fde8e6", "wave", 0),
    "unverified": VerdictStyle("Unverified", "?", "#8a5a00", "#fff3c4", "dots", 1),
    "verified": VerdictStyle("Verified", "✓", "#1a7f37", "#e3f6e8", "solid", 2),
    # a number that states no claim (a time of day, the author's own measurement): greyed, counted apart
    NOT_A_CLAIM: VerdictStyle("Not a claim", "·", "#8c959f", "#f3f4f6", "dots", 3),
}


def shown_kind(verdict) -> str:
    """The style a verdict is shown with: its kind, or "not_a_claim" for a number that is no claim."""
    return verdict.kind.value if verdict.check_worthy else NOT_A_CLAIM
