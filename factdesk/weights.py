"""The fitted model that weighs evidence: logistic weights over the features of `evidence`, and the decision
thresholds for each strictness. Fitted by `factdesk fit` (`fitting`), shipped as `factdesk/data/weights.json`."""
from __future__ import annotations

import json
import math
import operator
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Sequence

from .errors import FactdeskError

WEIGHTS_FILE = Path(__file__).resolve().parent / "data" / "weights.json"


class Strictness(str, Enum):
    """How much evidence a verdict needs: strict says less and is wrong less often, lenient says more."""

    STRICT = "strict"
    BALANCED = "balanced"
    LENIENT = "lenient"


@dataclass(frozen=True)
class Policy:
    """The thresholds that turn probabilities into verdicts (see `verdicts.judge`)."""

    verify: float = 0.5        # posterior a value-agreeing fact needs to verify the figure
    conflict: float = 0.6      # probability of an error (the conflict model's) needed to call a conflict
    plausible: float = 0.2     # a fact this probable that agrees with the figure rules out a conflict
    sure: float = 1.01         # a group this probable, value unseen, is the thing meant however far the value lies
    least: float = 0.0         # a fact needs this probability, value unseen, before its value can verify
    override: float = 1000.0   # a group the figure disagrees with this many times as probable as the agreeing fact
                               # forbids verified
    worthy: float = 0.5        # below this, an unjudged number is greyed as "not a claim"


@dataclass(frozen=True)
class Trees:
    """A boosted ensemble of small decision trees: `base` plus the leaf value each tree gives a row.
    A node is (feature, threshold, left, right, value, is_leaf); a row goes left when x[feature] <= threshold."""

    base: float
    trees: tuple[tuple[tuple[int, float, int, int, float, bool], ...], ...]

    def raw(self, x: Sequence[float]) -> float:
        total = self.base
        for nodes in self.trees:
            i = 0
            while not nodes[i][5]:
                feature, threshold, left, right = nodes[i][:4]
                i = left if x[feature] <= threshold else right
            total += nodes[i][4]
        return total

    def to_data(self) -> dict:
        return {"base": round(self.base, 8),
                "trees": [[[f, round(t, 8), l, r, round(v, 8), int(leaf)] for f, t, l, r, v, leaf in tree]
                          for tree in self.trees]}

    @classmethod
    def from_data(cls, data: dict) -> "Trees":
        return cls(float(data["base"]), tuple(tuple((int(f), float(t), int(l), int(r), float(v), bool(leaf))
                                                    for f, t, l, r, v, leaf in tree) for tree in data["trees"]))


@dataclass(frozen=True)
class Weights:
    """A logistic model for "this fact is what the figure states" and one for "this number is a claim"."""

    match_features: tuple[str, ...]
    match_coef: tuple[float, ...]
    worthy_features: tuple[str, ...]
    worthy_coef: tuple[float, ...]
    conflict_features: tuple[str, ...] = ()
    conflict_model: Trees | None = None
    policies: Mapping[str, Policy] = field(default_factory=dict)
    trained_on: Mapping[str, object] = field(default_factory=dict)

    def score(self, features: Sequence[float]) -> float:
        """A candidate's score: its log-odds against "no fact on file is meant" (features in `match_features` order)."""
        return sum(map(operator.mul, self.match_coef, features))

    def probabilities(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """For a claim's candidates, the probability that each is the fact stated; what is left over is the
        probability that none of them is (a conditional logit: the candidates compete)."""
        scores = [self.score(x) for x in rows]
        top = max(scores, default=0.0)
        shift = max(top, 0.0)
        exps = [math.exp(s - shift) for s in scores]
        total = math.exp(-shift) + sum(exps)
        return [e / total for e in exps]

    def probability(self, features: Sequence[float]) -> float:
        """The probability of one candidate on its own (no rivals)."""
        return self.probabilities([features])[0]

    def error(self, features: Sequence[float]) -> float:
        """P(the figure states its best group of readings, wrongly), from features in `conflict_features` order."""
        return _sigmoid(self.conflict_model.raw(features)) if self.conflict_model else 0.0

    def worthiness(self, features: Sequence[float]) -> float:
        """P(the number is a check-worthy claim), from features in `worthy_features` order."""
        return _sigmoid(sum(w * x for w, x in zip(self.worthy_coef, features)))

    def policy(self, strictness: Strictness | str = Strictness.BALANCED) -> Policy:
        return self.policies.get(Strictness(strictness).value, Policy())

    def contributions(self, features: Sequence[float]) -> dict[str, float]:
        """Each feature's share of the log-odds, for explanations."""
        return {n: w * x for n, w, x in zip(self.match_features, self.match_coef, features) if w * x}

    def to_json(self) -> str:
        return json.dumps({
            "format": 1,
            "match": dict(zip(self.match_features, (round(c, 6) for c in self.match_coef))),
            "worthy": dict(zip(self.worthy_features, (round(c, 6) for c in self.worthy_coef))),
            "conflict": {"features": list(self.conflict_features),
                         **(self.conflict_model.to_data() if self.conflict_model else {})},
            "policies": {k: vars(p) for k, p in self.policies.items()},
            "trained_on": self.trained_on,
        }, indent=1, sort_keys=False) + "\n"


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0


class WeightsError(FactdeskError):
    """The weights file is missing or does not fit this version of factdesk."""

    code = "FD120"


def parse_weights(text: str, features: Sequence[str], worthy_features: Sequence[str],
                  conflict_features: Sequence[str]) -> Weights:
    """Weights from their JSON; features this version computes but the file lacks weigh nothing."""
    data = json.loads(text)
    match, worthy, conflict = data.get("match", {}), data.get("worthy", {}), data.get("conflict", {})
    unknown = (set(match) - set(features)) | (set(worthy) - set(worthy_features))
    if conflict and list(conflict.get("features", [])) != list(conflict_features):
        unknown.add("conflict model")
    if unknown:
        raise WeightsError(f"the weights file names features this factdesk does not compute "
                           f"({', '.join(sorted(unknown)[:3])}); re-fit with 'factdesk fit'")
    policies = {k: Policy(**v) for k, v in data.get("policies", {}).items()}
    return Weights(tuple(features), tuple(float(match.get(f, 0.0)) for f in features), tuple(worthy_features),
                   tuple(float(worthy.get(f, 0.0)) for f in worthy_features), tuple(conflict_features),
                   Trees.from_data(conflict) if conflict.get("trees") else None, policies, data.get("trained_on", {}))


@lru_cache(maxsize=1)
def shipped_weights() -> Weights:
    """The weights shipped with the package."""
    from .evidence import FEATURES, WORTHY_FEATURES
    from .verdicts import CONFLICT_FEATURES

    try:
        text = WEIGHTS_FILE.read_text(encoding="utf-8")
    except OSError:
        raise WeightsError(f"no weights at {WEIGHTS_FILE}; reinstall factdesk or run 'factdesk fit'") from None
    return parse_weights(text, FEATURES, WORTHY_FEATURES, CONFLICT_FEATURES)
