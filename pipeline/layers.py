"""Per-tagger span layers on a Doc, in character offsets, so boundaries inside a Kiwi token survive."""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Iterable
from typing import Protocol

import srsly
from spacy.tokens import Doc

from .records import Span

if not Doc.has_extension("kner_layers"):
    Doc.set_extension("kner_layers", default=None)

MSGPACK_KEY = "__kner_span__"


def _encode_span(obj, chain=None):
    """msgpack encoder: a layer's Span as its record dict, so Docs with layers serialise (Doc.to_bytes, DocBin
    with user data, nlp.pipe(n_process=2))."""
    if isinstance(obj, Span):
        return {MSGPACK_KEY: obj.to_dict()}
    return obj if chain is None else chain(obj)


def _decode_span(obj, chain=None):
    """msgpack decoder: the Span `_encode_span` wrote."""
    if isinstance(obj, dict) and MSGPACK_KEY in obj:
        return Span.from_dict(obj[MSGPACK_KEY])
    return obj if chain is None else chain(obj)


srsly.msgpack_encoders.register("kner.Span", func=_encode_span)
srsly.msgpack_decoders.register("kner.Span", func=_decode_span)

FINAL = "ents"  # the merged layer that becomes the record's spans
NEVER = "never"  # stop-list matches (label O): text the rules know is never a name; vetoes model spans


class HasOffsets(Protocol):
    """Anything with character offsets: a Span or a tagger's candidate."""

    start: int
    end: int


def set_layer(doc: Doc, name: str, spans: Iterable[Span]) -> None:
    """Replace layer `name` (rules, model, ents …) with `spans`, sorted; running a tagger twice is harmless."""
    layers = dict(doc._.kner_layers or {})
    layers[name] = sorted(spans, key=lambda s: (s.start, s.end, s.label))
    doc._.kner_layers = layers


def get_layer(doc: Doc, name: str) -> list[Span]:
    """The spans of layer `name`, or [] when that tagger did not run."""
    return list((doc._.kner_layers or {}).get(name, ()))


def layer_names(doc: Doc) -> list[str]:
    """Names of the layers present on `doc`."""
    return list(doc._.kner_layers or {})


class Occupied:
    """Non-overlapping [start, end) intervals with a logarithmic overlap test (documents can hold 10^5 spans)."""

    def __init__(self, spans: Iterable[HasOffsets] = ()):
        self.intervals: list[tuple[int, int]] = []
        for s in spans:
            self.add(s)

    def overlaps(self, span: HasOffsets) -> bool:
        """Whether `span` shares a character with an interval already held."""
        i = bisect_right(self.intervals, (span.start, span.end))
        before = i > 0 and self.intervals[i - 1][1] > span.start
        after = i < len(self.intervals) and self.intervals[i][0] < span.end
        return before or after

    def add(self, span: HasOffsets) -> None:
        """Hold `span` (the caller has checked that it overlaps nothing)."""
        insort(self.intervals, (span.start, span.end))
