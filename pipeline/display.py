"""Entities highlighted with displaCy (manual mode over char offsets), for notebooks and HTML reports."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from spacy import displacy
from spacy.tokens import Doc
from spacy.util import is_in_jupyter

from .layers import FINAL, get_layer
from .records import COLORS, Record, Span


def _text_and_spans(obj: Record | dict | Doc, layer: str) -> tuple[str, list[Span], str | None]:
    """Text, spans and a title from any of the three kinds of input render accepts."""
    if isinstance(obj, Doc):
        return obj.text, get_layer(obj, layer), None
    if isinstance(obj, dict):
        obj = Record.from_dict(obj)
    if isinstance(obj, Record):
        return obj.text, list(obj.spans), obj.id or None
    raise TypeError(f"render takes a Record, a record dict or a spaCy Doc, not {type(obj).__name__}")


def render(obj: Record | dict | Doc, *, layer: str = FINAL, char_range: tuple[int, int] | None = None,
           title: str | None = None, colors: dict[str, str] | None = None, jupyter: bool | None = None) -> Any:
    """Highlight the spans of a Record, a record dict, or a Doc's `layer`; HTML object in Jupyter, else a str.

    `char_range=(start, end)` shows only that stretch of text (with the spans wholly inside it), which keeps
    notebook outputs small when browsing errors. Overlapping spans cannot be drawn and raise ValueError.
    """
    text, spans, default_title = _text_and_spans(obj, layer)
    start, end = char_range or (0, len(text))
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"char_range {char_range} is outside the text of length {len(text)}")
    shown = sorted((s for s in spans if start <= s.start and s.end <= end), key=lambda s: (s.start, s.end))
    for a, b in pairwise(shown):
        if b.start < a.end:
            raise ValueError(f"spans {a.text!r} [{a.start}, {a.end}) and {b.text!r} [{b.start}, {b.end}) overlap; "
                             "displaCy cannot draw overlapping spans, render each layer separately")
    data = {
        "text": text[start:end],
        "ents": [{"start": s.start - start, "end": s.end - start, "label": s.label} for s in shown],
        "title": title if title is not None else default_title,
    }
    html = displacy.render(data, style="ent", manual=True, jupyter=False,
                           options={"colors": {**COLORS, **(colors or {})}})
    if jupyter or (jupyter is None and is_in_jupyter()):
        from IPython.display import HTML

        return HTML(f'<span class="tex2jax_ignore">{html}</span>')  # as displaCy does: no MathJax on $ signs
    return html
