"""Per-tagger span layers on a Doc, in character offsets, so boundaries inside a Kiwi token survive."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc

from .records import Span

if not Doc.has_extension("kner_layers"):
    Doc.set_extension("kner_layers", default=None)

FINAL = "ents"  # the merged layer that becomes the record's spans


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
