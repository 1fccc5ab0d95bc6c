"""Combine the "rules" and "model" layers into the final "ents" layer by a policy fitted on dev data.

Every rule span and every model span is a *candidate*. A logistic model gives each candidate the probability
that it is a gold span, from what the two taggers say about it (`candidate_features`): which source proposed it
(rule, model or both), the rule family and its label, the model's marginal score, whether the other tagger
disagrees on the label or on the boundaries. A candidate on or inside text that is never a name (the
rule layer "never": stop-list words, file hashes and other ID strings) is not one. Candidates are then taken
most probable first, each kept when its probability reaches the policy's threshold and it overlaps
nothing kept before. The probability is the span's `score`.

`kner train` fits the weights and the threshold on dev data the CRF never trained on (`fit_policy`; the model
card shows the fitted weights and each rule family's measured precision). Unfitted, the policy reads the rule
family's prior precision (`rules.SCORES`) and the model's marginal as the probability, so a rules-only pipeline
keeps every rule span.

Every output span keeps `source` ("rule", "model" or "rule+model") and a `score`; output spans never overlap.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from . import layers
from .records import Span
from .tokenize import doc_tokens

RULES, MODEL = "rules", "model"
POLICY_FILE = "policy.json"
UNFITTED = {"rule_logit": 1.0, "model_logit": 1.0}  # probability = the tagger's own score


def _score(span: Span, default: float = 1.0) -> float:
    """A span's score, `default` when its tagger gave none."""
    return default if span.score is None else span.score


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def non_overlapping(spans: Iterable[Span]) -> list[Span]:
    """Drop spans that overlap a better one (longer, then higher score, then earlier); result sorted by offset."""
    ranked = sorted(spans, key=lambda s: (-(s.end - s.start), -_score(s), s.start, s.label))
    kept: list[Span] = []
    occupied = layers.Occupied()
    for s in ranked:
        if not occupied.overlaps(s):
            occupied.add(s)
            kept.append(s)
    return sorted(kept, key=lambda s: (s.start, s.end))


@dataclass(frozen=True)
class Candidate:
    """A span one or both taggers proposed, with the rule span behind it (for canonical and rule) if any."""

    span: Span
    features: dict[str, float]
    rule: Span | None


def _family(rule: str | None) -> str:
    """The rule family of a rule span (`lexicon:orgs` -> `lexicon`)."""
    return (rule or "rule").split(":", 1)[0]


def candidate_features(label: str, length: int, rule: Span | None, model: Span | None, *, label_clash: bool,
                       relations: Iterable[str], cuts: Iterable[str] = ()) -> dict[str, float]:
    """What the taggers say about one candidate: the features of the merge's logistic model."""
    source = "both" if rule and model else "rule" if rule else "model"
    f = {"src=" + source: 1.0, "src|label=" + source + "|" + label: 1.0,
         "len=" + ("1" if length == 1 else "2" if length == 2 else "3-4" if length <= 4 else "5+"): 1.0}
    if rule is not None:
        f["rule_logit"] = _logit(_score(rule))
        f["family=" + _family(rule.rule) + "|" + label] = 1.0
    if model is not None:
        f["model_logit"] = _logit(_score(model))
    if label_clash:
        f["label_clash|" + source] = 1.0
    for relation in (*relations, *cuts):
        f[relation + "|" + source] = 1.0
    return f


def _relations(span: Span, others: Sequence[Span], starts: Sequence[int]) -> list[str]:
    """How `span` sits against the other tagger's spans that overlap it with other boundaries: it contains one
    (contains1) or several (contains2+), lies inside one (inside), or crosses one (crosses)."""
    out, contained = [], 0
    for o in others[max(0, bisect_left(starts, span.start) - 1):bisect_left(starts, span.end)]:
        if o.end <= span.start or (o.start, o.end) == (span.start, span.end):
            continue
        if span.start <= o.start and o.end <= span.end:
            contained += 1
        elif o.start <= span.start and span.end <= o.end:
            out.append("inside")
        else:
            out.append("crosses")
    if contained:
        out.append("contains1" if contained == 1 else "contains2+")
    return out


def token_edges(doc: Doc) -> frozenset[int]:
    """Character offsets where a Kiwi token starts or ends: a span edge elsewhere cuts a token (흑산|도, 대전시|장)."""
    tokens = doc_tokens(doc)
    return frozenset(t.start for t in tokens) | frozenset(t.end for t in tokens)


def _within(spans: Iterable[Span]):
    """A test of whether [start, end) lies on or inside one of `spans`: a start's furthest-reaching container."""
    ordered = sorted((s.start, s.end) for s in spans)
    starts = [a for a, _ in ordered]
    reach = list(accumulate((b for _, b in ordered), max))
    return lambda start, end: (i := bisect_right(starts, start)) > 0 and reach[i - 1] >= end


def candidates(rule_spans: Iterable[Span], model_spans: Iterable[Span], never: Iterable[Span] = (),
               edges: frozenset[int] | None = None) -> list[Candidate]:
    """Every span either tagger proposed, once per (offsets, label), with its features; `edges` (token_edges)
    adds whether the span starts or ends inside a Kiwi token."""
    rules = non_overlapping(rule_spans)
    model = non_overlapping(model_spans)
    rule_at = {(r.start, r.end): r for r in rules}
    model_at = {(m.start, m.end): m for m in model}
    rule_starts, model_starts = [r.start for r in rules], [m.start for m in model]
    vetoed = _within(never)
    out: list[Candidate] = []
    for key in sorted(rule_at.keys() | model_at.keys()):
        if vetoed(*key):
            continue
        r, m = rule_at.get(key), model_at.get(key)
        probe = r or m
        relations = (() if r and m else _relations(probe, model, model_starts) if r
                     else _relations(probe, rules, rule_starts))
        cuts = () if edges is None else [name for name, at in (("cut_start", key[0]), ("cut_end", key[1]))
                                         if at not in edges]
        for label in dict.fromkeys(s.label for s in (r, m) if s is not None):
            mine_r = r if r is not None and r.label == label else None
            mine_m = m if m is not None and m.label == label else None
            features = candidate_features(label, key[1] - key[0], mine_r, mine_m,
                                          label_clash=(r is not None and m is not None and r.label != m.label),
                                          relations=relations, cuts=cuts)
            out.append(Candidate(replace(probe, label=label), features, mine_r))
    return out


@dataclass
class Policy:
    """Weights of the merge's logistic model, its bias and the probability a candidate needs to be kept."""

    weights: dict[str, float] = field(default_factory=lambda: dict(UNFITTED))
    bias: float = 0.0
    threshold: float = 0.5

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1 / (1 + math.exp(-z)) if z > -30 else 0.0

    def to_dict(self) -> dict:
        return {"weights": self.weights, "bias": self.bias, "threshold": self.threshold}


def combine(rule_spans: Iterable[Span], model_spans: Iterable[Span], policy: Policy | None = None,
            never: Iterable[Span] = (), edges: frozenset[int] | None = None) -> list[Span]:
    """The merged spans of one document (`chosen` candidates); a span's score is its probability."""
    out: list[Span] = []
    for p, c in chosen(policy or Policy(), candidates(rule_spans, model_spans, never, edges)):
        both = c.rule is not None and "src=both" in c.features
        source = "rule+model" if both else "rule" if c.rule is not None else "model"
        base = c.rule if c.rule is not None else c.span
        out.append(replace(base, label=c.span.label, source=source, score=round(p, 4)))
    return sorted(out, key=lambda s: (s.start, s.end))


def chosen(policy: Policy, cands: Iterable[Candidate]) -> list[tuple[float, Candidate]]:
    """Candidates most probable first (then longer, then earlier), each kept when its probability reaches the
    threshold and it overlaps nothing kept before, with its probability."""
    scored = sorted(((policy.probability(c.features), c) for c in cands),
                    key=lambda pc: (-pc[0], -(pc[1].span.end - pc[1].span.start), pc[1].span.start))
    kept, out = layers.Occupied(), []
    for p, c in scored:
        if p >= policy.threshold and not kept.overlaps(c.span):
            kept.add(c.span)
            out.append((p, c))
    return out


def fit_policy(examples: Sequence[tuple[Sequence[Candidate], set[tuple[int, int, str]]]],
               c: float = 1.0) -> tuple[Policy, dict]:
    """Fit the weights (L2 logistic regression) and the threshold (best strict F1 over the examples) on dev data.

    `examples` holds, per dev document, its candidates and its gold spans as (start, end, label). Returns the
    policy and a report: candidates, each rule family's precision on them, and the dev F1 at the threshold.
    """
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows, ys = [], []
    for cands, gold in examples:
        for cand in cands:
            rows.append(cand.features)
            ys.append((cand.span.start, cand.span.end, cand.span.label) in gold)
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform(rows)
    clf = LogisticRegression(C=c, max_iter=2000, solver="lbfgs").fit(x, ys)
    weights = {name: round(float(w), 6) for name, w in zip(vec.feature_names_, clf.coef_[0], strict=True) if w}
    policy = Policy(weights, round(float(clf.intercept_[0]), 6))
    best = max((_f1_at(policy, examples, t / 100), t / 100) for t in range(20, 81, 5))
    policy.threshold = best[1]
    return policy, {"candidates": len(rows), "dev_f1": round(best[0], 4), "family_precision": _precision(rows, ys)}


def _f1_at(policy: Policy, examples, threshold: float) -> float:
    """Strict micro F1 of the merge over `examples` at `threshold`."""
    policy = replace(policy, threshold=threshold)
    tp = n_pred = n_gold = 0
    for cands, gold in examples:
        kept = {(c.span.start, c.span.end, c.span.label) for _, c in chosen(policy, cands)}
        tp += len(kept & gold)
        n_pred += len(kept)
        n_gold += len(gold)
    return 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0


def _precision(rows: list[dict[str, float]], ys: list[bool]) -> dict[str, list]:
    """Per source and rule family with label: [candidates, correct, precision] on the dev candidates."""
    counts: dict[str, list[int]] = {}
    for f, y in zip(rows, ys, strict=True):
        for key in f:
            if key.startswith(("family=", "src=")):
                n = counts.setdefault(key, [0, 0])
                n[0] += 1
                n[1] += y
    return {k: [n, ok, round(ok / n, 3)] for k, (n, ok) in sorted(counts.items())}


class Merger:
    """The `kner_merge` component: reads layers "rules", "model" and "never", writes `layers.FINAL`.

    A fitted policy is saved with the pipeline as policy.json (plain JSON, with the fitting report)."""

    def __init__(self, name: str):
        self.name = name
        self.policy = Policy()
        self.report: dict = {}

    def to_disk(self, path, *, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / POLICY_FILE).write_text(json.dumps({**self.policy.to_dict(), "report": self.report},
                                                   ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                        encoding="utf-8")

    def from_disk(self, path, *, exclude=()) -> Merger:
        file = Path(path) / POLICY_FILE
        if file.is_file():
            saved = json.loads(file.read_text(encoding="utf-8"))
            self.report = saved.pop("report", {})
            self.policy = Policy(**saved)
        return self

    def __call__(self, doc: Doc) -> Doc:
        spans = combine(layers.get_layer(doc, RULES), layers.get_layer(doc, MODEL), self.policy,
                        layers.get_layer(doc, layers.NEVER), token_edges(doc))
        layers.set_layer(doc, layers.FINAL, spans)
        return doc


@Language.factory("kner_merge", assigns=["doc._.kner_layers"])
def make_merger(nlp: Language, name: str) -> Merger:
    """Factory: the unfitted policy until `from_disk` reads a fitted one (`kner train` saves it with the model)."""
    return Merger(name)
