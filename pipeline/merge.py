"""Combine the "rules" and "model" layers into the final "ents" layer by one explicit, configurable policy.

Policy (the model card, models/README.md, shows the measurements behind it):

1. **Agreement.** A rule span and a model span with the same start and end become one span with
   source "rule+model", the rule's label and the higher of the two scores. The rules implement ANNOTATION.md's
   metonymy conventions (a province that acts is ORG, a country stays LOC); the model learnt KLUE's, which differ.
2. **Overlap.** A model span that overlaps a rule span with other boundaries is dropped: rule boundaries come
   from lexicons and programme heads and are trusted over the model's.
3. **Model alone.** A model span that overlaps no rule span is kept when its score (the lowest CRF marginal of
   its units) is at least `min_model_score`: this is how names no lexicon holds get found.
4. **Never a name.** A model span whose exact text the rules' stop list calls never a name (정부, 지역 …;
   layer "never") is dropped, as the rules drop their own.
5. **Rules alone** are always kept. Within one layer, overlapping spans (which a tagger should not produce)
   are resolved first by keeping the longer span, then the higher score, then the earlier one.

Every output span keeps `source` ("rule", "model" or "rule+model") and a `score`; output spans never overlap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from . import layers
from .records import Span

RULES, MODEL = "rules", "model"


def _score(span: Span, default: float = 1.0) -> float:
    """A span's score, `default` when its tagger gave none."""
    return default if span.score is None else span.score


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


def combine(rule_spans: Iterable[Span], model_spans: Iterable[Span], min_model_score: float = 0.9,
            never: Iterable[Span] = ()) -> list[Span]:
    """The merged spans of one document under the policy in the module docstring."""
    rules = [replace(s, source="rule", score=_score(s)) for s in non_overlapping(rule_spans)]
    model = [replace(s, source="model", score=_score(s)) for s in non_overlapping(model_spans)]
    model_at = {(m.start, m.end): m for m in model}
    ruled = layers.Occupied(rules)
    vetoed = {(s.start, s.end) for s in never}
    out: list[Span] = []
    for r in rules:
        m = model_at.get((r.start, r.end))
        out.append(r if m is None else replace(r, source="rule+model", score=max(r.score, m.score)))
    for m in model:
        if m.score >= min_model_score and not ruled.overlaps(m) and (m.start, m.end) not in vetoed:
            out.append(m)
    return sorted(out, key=lambda s: (s.start, s.end))


class Merger:
    """The `kner_merge` component: reads layers "rules" and "model", writes `layers.FINAL`."""

    def __init__(self, name: str, min_model_score: float):
        self.name = name
        self.min_model_score = min_model_score

    def __call__(self, doc: Doc) -> Doc:
        spans = combine(layers.get_layer(doc, RULES), layers.get_layer(doc, MODEL), self.min_model_score,
                        layers.get_layer(doc, layers.NEVER))
        layers.set_layer(doc, layers.FINAL, spans)
        return doc


@Language.factory(
    "kner_merge",
    assigns=["doc._.kner_layers"],
    default_config={"min_model_score": 0.9},
)
def make_merger(nlp: Language, name: str, min_model_score: float) -> Merger:
    """Factory: the threshold lives in the pipeline config, so a saved model keeps the policy it was measured with."""
    return Merger(name, min_model_score)
