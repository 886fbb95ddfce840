"""Fit the weights that weigh evidence on labelled corpora, and measure them by leave-one-article-out.

Gathering claims and their candidates is the slow part and does not depend on the weights, so it is done once
per article (`collect`); each fit then only ranks and judges. Labels come from the gold: a candidate is
positive when it is the entity and attribute the gold names for a verified or conflicting number; every
candidate of an unverified number is negative. A perturbed copy stays in the same fold as its original.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .corpus import CHECKABLE, Article, CorpusSet, gold_span
from .evidence import FEATURES, WORTHY_FEATURES, worthiness_features
from .weights import Policy, Weights

INNER_FOLDS = 5
_GRID = {
    "verify": (0.3, 0.5, 0.7, 0.8, 0.9, 0.95),
    "conflict": (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8),
    # never "never": a group all but certainly meant, value unseen, that the figure contradicts is a conflict
    # (issue 13's rule); the fitted conflict model only adds the nearer calls
    "sure": (0.7, 0.8, 0.9, 0.93, 0.95),
    "plausible": (0.05, 0.1, 0.2, 0.3),
    "least": (0.0, 0.02, 0.05, 0.1, 0.2),
    "override": (1.5, 2.0, 3.0, 5.0, 1000.0),
}
# per strictness: the shares of checkable numbers that may come out wrongly "conflicting" and falsely
# "verified" (a few gold labels are arguable, so balanced tolerates one in a thousand rather than letting one
# debatable label set every threshold), and what each error past them costs of the score (accuracy plus
# conflict recall). Strict pays any price to stay within its limits; balanced prices an error past them at two
# hundredths, dear but finite, so one arguable label cannot buy thresholds that lose three verdicts in a hundred
LIMITS = {"strict": (0.005, 0.0, 1.0), "balanced": (0.007, 0.001, 0.02), "lenient": (0.02, 0.002, 0.01)}
REGULARISATION = 1.0


@dataclass
class ArticleData:
    """One labelled article, parsed and gathered once: the claims' evidence and the gold each claim carries."""

    set_name: str
    article: Article
    checker: object
    prep: object
    gold: dict[int, object] = field(default_factory=dict)    # gathered index -> GoldItem

    @property
    def group(self) -> str:
        return f"{self.set_name}/{self.article.original}"


def _zero_weights() -> Weights:
    return Weights(FEATURES, (0.0,) * len(FEATURES), WORTHY_FEATURES, (0.0,) * len(WORTHY_FEATURES))


def collect(sets: Iterable[CorpusSet], drop: float = 0.0) -> list[ArticleData]:
    """Parse every article of these sets against a fresh database of its set's facts and tie gold to claims."""
    from .check import Checker
    from .store import ReferenceStore

    out = []
    for s in sets:
        store = ReferenceStore.memory()
        sources = s.sources()
        if drop:
            from .corpus import without_entities
            sources = without_entities(s, drop)
        store.import_many(sources)
        checker = Checker(store, weights=_zero_weights())
        for a in s.articles:
            prep = checker.prepare(a.text, source=a.id, published=a.published)
            data = ArticleData(s.name, a, checker, prep)
            for g in a.gold:
                span = gold_span(a.text, g.number_text, g.occurrence)
                if span is None:
                    continue
                lo, hi = span
                hits = [(min(hi, gd.claim.end) - max(lo, gd.claim.start), i)
                        for i, gd in enumerate(prep.gathered) if gd.claim.start < hi and lo < gd.claim.end]
                if hits:
                    data.gold.setdefault(max(hits)[1], g)
            out.append(data)
    return out


def _same_value(a, b) -> bool:
    try:
        return abs(float(str(a).replace(",", "")) - float(str(b).replace(",", ""))) <= 1e-9 * max(1.0, abs(float(b)))
    except (TypeError, ValueError):
        return str(a).strip() == str(b).strip()


def _positive(c, g, candidates=()) -> bool:
    """Whether candidate `c` is the fact the gold names; of several versions over time, the one whose value
    the gold gives as reference."""
    if g.expected not in ("verified", "conflicting") or not g.entity or not g.attribute or \
            c.fact.entity.casefold() != g.entity.casefold() or c.fact.attribute.casefold() != g.attribute.casefold():
        return False
    versions = [o for o in candidates if o.fact.entity == c.fact.entity and o.fact.attribute == c.fact.attribute]
    if len(versions) > 1 and any(_same_value(o.fact.value, g.reference_value) for o in versions):
        return _same_value(c.fact.value, g.reference_value)
    return True


def match_rows(arts: Sequence[ArticleData]):
    """Per gold-checkable claim with candidates: its candidates' feature rows and which of them the gold names
    (none, for a number nothing on file states)."""
    choices = []
    for a in arts:
        for i, g in a.gold.items():
            if g.expected not in CHECKABLE:
                continue
            # a phantom is what a fact would be were the name not on file its owner: no gold names one, and
            # learning that would teach that a firm link to a name is no evidence
            cands = [c for c in a.prep.gathered[i].candidates if not c.phantom]
            if cands:
                choices.append(([c.features for c in cands], [int(_positive(c, g, cands)) for c in cands]))
    return choices


def _choice_model(choices) -> tuple[float, ...]:
    """Weights of a conditional logit: each claim chooses among its candidates or "none" (score 0), and the
    likelihood of the gold's choice is maximised, with an L2 penalty."""
    import numpy as np
    from scipy.optimize import minimize

    if not choices:
        return (0.0,) * len(FEATURES)
    X = np.vstack([np.asarray(x, dtype=float) for x, _ in choices])
    y = np.concatenate([np.asarray(lab, dtype=float) for _, lab in choices])
    sizes = np.asarray([len(lab) for _, lab in choices])
    group = np.repeat(np.arange(len(choices)), sizes)
    chosen = np.bincount(group, weights=y, minlength=len(choices)) > 0

    def loss(w):
        s = X @ w
        shift = np.maximum(np.maximum.reduceat(s, np.r_[0, np.cumsum(sizes)[:-1]]), 0.0)
        e = np.exp(s - shift[group])
        total = np.exp(-shift) + np.bincount(group, weights=e, minlength=len(choices))
        pos = np.bincount(group, weights=e * y, minlength=len(choices))
        # log P(chosen set) = log(sum of e over positives) - log(total); "none" chosen: log(exp(-shift)) - log(total)
        top = np.where(chosen, pos, np.exp(-shift))
        nll = -(np.log(top) - np.log(total)).sum()
        p = e / total[group]
        q = np.where(chosen[group], e * y / np.where(chosen, pos, 1.0)[group], 0.0)
        grad = -(X.T @ (q - p))
        return nll + 0.5 * w @ w / REGULARISATION, grad + w / REGULARISATION

    res = minimize(loss, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 2000})
    return tuple(float(v) for v in res.x)


def _logistic(X, y) -> tuple[float, ...]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    if not X or len(set(y)) < 2:
        return (0.0,) * (len(X[0]) if X else 0)
    model = LogisticRegression(C=REGULARISATION, fit_intercept=False, max_iter=5000, solver="lbfgs")
    model.fit(np.asarray(X, dtype=float), np.asarray(y))
    return tuple(float(w) for w in model.coef_[0])


def _claim_table(arts: Sequence[ArticleData], weights: Weights):
    """Per gold-checkable claim, what `verdicts.decide` needs, as numpy rows, so many policies can be tried at
    once: for each `least` in the grid the best agreeing posterior and its probability; then the rival group,
    whether the best group agrees, the most probable agreeing candidate, whether a conflict is blocked (or the
    fact is taken by a figure of the sentence that agrees), and the gold; and, apart, the conflict features."""
    import numpy as np

    from .matching import rank
    from .verdicts import CONFLICT_FEATURES, conflict_features, weigh

    rows, conflict_rows = [], []
    for a in arts:
        vocab = a.checker.vocabulary()
        weighed = [weigh(rank(g, weights), vocab) for g in a.prep.gathered]
        # of two figures of one sentence whose best reading is the same fact, the one that agrees keeps it
        # (as `verdicts.settle_sentences` does)
        keep = {}
        for i, w in enumerate(weighed):
            if w.groups:
                top = w.groups[0][2]
                key = (a.prep.gathered[i].claim.sentence_start, top.fact.id)
                keep[key] = keep.get(key, False) or w.groups[0][1]
        for i, g in a.gold.items():
            if g.expected not in CHECKABLE:
                continue
            w = weighed[i]
            row = []
            for least in _GRID["least"]:
                usable = [(p, post) for _, p, post in w.agreeing if p >= least]
                row += [usable[0][1], usable[0][0]] if usable else [0.0, 0.0]
            agree1 = float(bool(w.groups) and w.groups[0][1])
            p_agree = max((p for _, p, _ in w.agreeing), default=0.0)
            taken = bool(w.groups) and not w.groups[0][1] and \
                keep.get((a.prep.gathered[i].claim.sentence_start, w.groups[0][2].fact.id), False)
            blocked = float(not w.groups or bool(w.blocked) or taken)
            g1 = w.groups[0][0] if w.groups else 0.0
            rows.append(row + [w.rival, agree1, p_agree, blocked, g1, CHECKABLE.index(g.expected)])
            conflict_rows.append(conflict_features(w) if w.groups else (0.0,) * len(CONFLICT_FEATURES))
    width = 2 * len(_GRID["least"]) + 6
    return np.asarray(rows, dtype=float).reshape(-1, width), np.asarray(conflict_rows, dtype=float).reshape(
        -1, len(CONFLICT_FEATURES))


def _conflict_model(table, conflict_rows):
    """The conflict model: among claims whose best group the figure disagrees with, which are errors (gold
    conflicting) rather than figures about something not on file. Small boosted trees: how clearly the group
    is meant and how near the value lies work together, not additively."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    from .verdicts import CONFLICT_FEATURES
    from .weights import Trees

    base = 2 * len(_GRID["least"])
    eligible = (table[:, base + 1] == 0) & (table[:, base + 3] == 0)
    X, y = conflict_rows[eligible], (table[eligible, -1] == 1).astype(int)
    if len(set(y)) < 2:
        return Trees(-10.0, ())
    # more clearly meant never makes an error less likely; a figure some plausible reading agrees with is
    # less likely an error
    rising = {"group_logit": 1, "group_lead": 1, "id_said": 1, "entity_here": 1, "agree_p": -1, "setting_said": 1}
    model = HistGradientBoostingClassifier(max_iter=150, max_depth=3, learning_rate=0.05, l2_regularization=1.0,
                                           min_samples_leaf=10, early_stopping=False, random_state=0,
                                           monotonic_cst=[rising.get(k, 0) for k in CONFLICT_FEATURES])
    model.fit(np.asarray(X, dtype=float), y)
    trees = tuple(tuple((int(n["feature_idx"]), float(n["num_threshold"]), int(n["left"]), int(n["right"]),
                         float(n["value"]), bool(n["is_leaf"])) for n in predictor.nodes)
                  for (predictor,) in model._predictors)
    return Trees(float(np.ravel(model._baseline_prediction)[0]), trees)


def _decide(t, p: Policy, error):
    """0 verified, 1 conflicting, 2 unverified for each row of a claim table (as `verdicts.decide` decides);
    `error` is the conflict model's probability per row."""
    import numpy as np

    k = _GRID["least"].index(p.least)
    post, p_use = t[:, 2 * k], t[:, 2 * k + 1]
    base = 2 * len(_GRID["least"])
    rival, agree1, p_agree, blocked, g1 = (t[:, base + j] for j in range(5))
    verified = (post >= p.verify) & (p_use >= p.least) & (post > 0) & (rival < p.override * p_use)
    conflict = ~verified & (blocked == 0) & (agree1 == 0) & (p_agree < p.plausible) & \
        ((error >= p.conflict) | (g1 >= p.sure))
    return np.where(verified, 0, np.where(conflict, 1, 2))


def choose_policies(table, error) -> dict[str, Policy]:
    """For each strictness, the thresholds with the best verdict accuracy plus conflict recall on a claim
    table, each wrong conflict and false verified past its limits costing its price (`LIMITS`)."""
    import itertools

    gold = table[:, -1]
    n, conflicts = max(1, len(gold)), max(1, int((gold == 1).sum()))
    best: dict[str, tuple[tuple, Policy]] = {}
    for values in itertools.product(*_GRID.values()):
        p = Policy(**dict(zip(_GRID, values)))
        got = _decide(table, p, error)
        score = float((got == gold).sum()) / n + float(((got == 1) & (gold == 1)).sum()) / conflicts
        false_verified = int(((got == 0) & (gold == 1)).sum())
        wrong_conflict = int(((got == 1) & (gold != 1)).sum())
        for name, (rate, fv_rate, cost) in LIMITS.items():
            excess = max(0.0, false_verified - fv_rate * n) + max(0.0, wrong_conflict - rate * n)
            key = score - cost * excess
            if name not in best or key > best[name][0]:
                best[name] = (key, p)
    return {name: p for name, (_, p) in best.items()}


def _worthy_rows(arts: Sequence[ArticleData], weights: Weights):
    X, y, conflicting = [], [], []
    for a in arts:
        for i, g in a.gold.items():
            gd = a.prep.gathered[i]
            best = max(weights.probabilities([c.features for c in gd.candidates]), default=0.0)
            X.append(worthiness_features(gd.claim, a.prep.text, best, len(gd.candidates)))
            y.append(int(g.expected != "ignore"))
            conflicting.append(g.expected == "conflicting")
    return X, y, conflicting


def _choose_worthy(X, y, conflicting, coef) -> float:
    """The greying threshold: as many non-claims greyed as possible, few claims, never a conflict."""
    from .weights import _sigmoid

    probs = [_sigmoid(sum(w * x for w, x in zip(coef, row))) for row in X]
    best, best_t = None, 0.0
    for t in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
        quiet = sum(p < t and not lab for p, lab in zip(probs, y))
        loud = sum(p < t and lab for p, lab in zip(probs, y))
        lost = sum(p < t and c for p, c in zip(probs, conflicting))
        utility = quiet - 3 * loud - 10 * lost     # a claim greyed costs a verdict; a non-claim left loud costs less
        if best is None or utility > best:
            best, best_t = utility, t
    return best_t


def _folds(arts: Sequence[ArticleData], k: int, seed: int = 0) -> list[list[ArticleData]]:
    """`k` folds by article group (an article with its perturbed copy): in name order, or shuffled by `seed`."""
    groups = sorted({a.group for a in arts})
    if seed:
        random.Random(seed).shuffle(groups)
    return [[a for a in arts if a.group in set(groups[i::k])] for i in range(min(k, len(groups)))]


def fit(arts: Sequence[ArticleData], trained_on: dict | None = None, fold_seed: int = 0) -> Weights:
    """Weights fitted on these articles: the candidate model on all of them; the conflict model and the
    thresholds on out-of-fold weighings (inner folds by article, shuffled by `fold_seed` when not 0), where
    probabilities are as honest as at check time."""
    import numpy as np

    from .verdicts import CONFLICT_FEATURES

    coef = _choice_model(match_rows(arts))
    tables, conflict_rows = [], []
    for held in _folds(arts, INNER_FOLDS, fold_seed):
        held_ids = {id(a) for a in held}
        rest = [a for a in arts if id(a) not in held_ids]
        inner = Weights(FEATURES, _choice_model(match_rows(rest)), WORTHY_FEATURES, (0.0,) * len(WORTHY_FEATURES))
        t, c = _claim_table(held, inner)
        tables.append(t)
        conflict_rows.append(c)
    table, conflict_rows = np.vstack(tables), np.vstack(conflict_rows)
    trees = _conflict_model(table, conflict_rows)
    error = 1.0 / (1.0 + np.exp(-np.asarray([trees.raw(x) for x in conflict_rows])))
    policies = choose_policies(table, error)
    match_only = Weights(FEATURES, coef, WORTHY_FEATURES, (0.0,) * len(WORTHY_FEATURES))
    WX, Wy, conflicting = _worthy_rows(arts, match_only)
    wcoef = _logistic(WX, Wy)
    worthy = _choose_worthy(WX, Wy, conflicting, wcoef)
    policies = {k: Policy(**{**vars(p), "worthy": worthy}) for k, p in policies.items()}
    return Weights(FEATURES, coef, WORTHY_FEATURES, wcoef, CONFLICT_FEATURES, trees, policies, trained_on or {})


def leave_one_out(arts: Sequence[ArticleData], train_only: Sequence[ArticleData] = (), strictness: str = "balanced",
                  progress=None, fold_seed: int = 0) -> dict[str, object]:
    """Each article's report from weights fitted without it (nor its perturbed copy or original);
    `train_only` articles are always in training and never reported. Runs with another `fold_seed` (the fit's
    inner folds) show how much of a difference between two runs is the fit's own noise."""
    reports = {}
    groups = sorted({a.group for a in arts})
    for n, group in enumerate(groups):
        train = [a for a in arts if a.group != group] + list(train_only)
        weights = fit(train, fold_seed=fold_seed)
        for a in arts:
            if a.group == group:
                reports[f"{a.set_name}/{a.article.id}"] = a.checker.conclude(a.prep, weights, strictness)
        if progress:
            progress(n + 1, len(groups))
    return reports


def describe(arts: Sequence[ArticleData]) -> dict:
    """What a fit was trained on, for the weights file."""
    choices = match_rows(arts)
    sets = sorted({a.set_name for a in arts})
    return {"sets": sets, "articles": len(arts), "claims": sum(len(a.gold) for a in arts),
            "candidate_rows": sum(len(lab) for _, lab in choices), "positives": sum(sum(lab) for _, lab in choices)}
