"""The record codec: the annotated-JSONL contract read, checked and written in one place.

Every reader of records (annotate input, evaluate, import/export, the pandas loaders) checks them through
`check_span` and `Record.from_dict`, with one error type, RecordError. Types are strict: offsets are integers
(not bools, floats or strings), scores are numbers or null, labels and surface texts are strings, ids are
strings (an integer id is read as its decimal string). `frames` reads the same rules through `check_span`
without building a dataclass per span.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from .errors import RecordError

LABELS = ("ORG", "LOC", "PROGRAM")
# Highlight colours of render, the evaluation report and kner report (ORG/LOC as in displaCy, PROGRAM added);
# here rather than in display.py so that the HTML reports do not import spaCy.
COLORS = {"ORG": "#7aecec", "LOC": "#ff9561", "PROGRAM": "#c887fb"}
SPAN_OPTIONAL = ("canonical", "rule", "region")  # span keys written only when set
_SURROGATES = re.compile("[\ud800-\udfff]")

__all__ = ["COLORS", "LABELS", "Record", "RecordError", "Span", "check_id", "check_span", "safe_string"]


def _int(value: Any, what: str) -> int:
    """An integer that is not a bool (JSON true is not an offset)."""
    if type(value) is not int:
        raise RecordError(f"{what} must be an integer, got {value!r}")
    return value


def _optional_str(d: dict[str, Any], key: str) -> str | None:
    value = d.get(key)
    if value is not None and not isinstance(value, str):
        raise RecordError(f"span {key!r} must be a string or null, got {value!r}")
    return value


def _score(value: Any) -> float | None:
    if value is None:
        return None
    if type(value) not in (int, float):
        raise RecordError(f"span 'score' must be a number or null, got {value!r}")
    return value


def check_span(d: Any, text: str | None
               ) -> tuple[int, int, str, str, str, float | None, str | None, str | None, str | None]:
    """(start, end, label, surface, source, score, canonical, rule, region) of one span dict, or RecordError
    saying why.

    With `text`, the offsets must lie inside it and a given surface must equal `text[start:end]`.
    """
    if not isinstance(d, dict):
        raise RecordError(f"a span must be a JSON object, got {type(d).__name__}")
    try:
        start, end, label = d["start"], d["end"], d["label"]
    except KeyError as e:
        raise RecordError(f"span needs 'start', 'end' and 'label' (missing {e.args[0]!r}): {_short(d)}") from None
    if type(start) is not int or type(end) is not int or not isinstance(label, str):
        raise RecordError(f"span needs integer 'start', 'end' and a string 'label': {_short(d)}")
    surface = d.get("text")
    if surface is not None and not isinstance(surface, str):
        raise RecordError(f"span 'text' must be a string, got {surface!r}")
    if text is not None:
        if not 0 <= start < end <= len(text):
            raise RecordError(f"span [{start}, {end}) is outside the text of length {len(text)}")
        actual = text[start:end]
        if surface is not None and surface != actual:
            raise RecordError(f"span [{start}, {end}) says {surface!r} but the text there is {actual!r}")
        surface = actual
    source = d.get("source")
    if source is not None and not isinstance(source, str):
        raise RecordError(f"span 'source' must be a string, got {source!r}")
    return (start, end, label, surface or "", source or "", _score(d.get("score")),
            _optional_str(d, "canonical"), _optional_str(d, "rule"), _optional_str(d, "region"))


def _short(value: Any, limit: int = 200) -> str:
    """A value for a message, cut to `limit` characters."""
    try:
        shown = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        shown = repr(type(value))
    return shown if len(shown) <= limit else shown[:limit] + "…"


def check_id(value: Any, default: str) -> str:
    """A record id: a string, an integer read as its decimal string, or `default` when absent."""
    if value is None:
        return default
    if isinstance(value, str):
        return value
    if type(value) is int:
        return str(value)
    raise RecordError(f"'id' must be a string, got {_short(value, 60)}")


def safe_string(s: str) -> str:
    """`s` with lone UTF-16 surrogates (from JSON escapes or undecodable file names) replaced by U+FFFD."""
    return _SURROGATES.sub("\ufffd", s) if not s.isascii() else s


def _pairs(value: Any, what: str) -> tuple[tuple[int, int], ...]:
    if not isinstance(value, list):
        raise RecordError(f"'{what}' must be a list of [start, end] pairs")
    out = []
    for item in value:
        if not (isinstance(item, list | tuple) and len(item) == 2):
            raise RecordError(f"'{what}' must be a list of [start, end] pairs, got {_short(item, 60)}")
        out.append((_int(item[0], f"{what} start"), _int(item[1], f"{what} end")))
    return tuple(out)


def _tokens(value: Any) -> tuple[tuple[int, int, str], ...]:
    if not isinstance(value, list):
        raise RecordError("'tokens' must be a list of {start, end, tag} objects")
    out = []
    for t in value:
        if not isinstance(t, dict) or not isinstance(t.get("tag"), str):
            raise RecordError(f"a token must be an object with start, end and a string tag, got {_short(t, 60)}")
        out.append((_int(t.get("start"), "token start"), _int(t.get("end"), "token end"), t["tag"]))
    return tuple(out)


@dataclass(frozen=True)
class Span:
    """One entity mention: `text[start:end]` of its record, end exclusive, in code points."""

    start: int
    end: int
    label: str
    text: str = ""
    source: str = ""
    score: float | None = None
    canonical: str | None = None
    rule: str | None = None
    region: str | None = None  # the province of a place or local government (kner.canonical)

    @classmethod
    def from_dict(cls, d: dict[str, Any], text: str | None = None) -> Span:
        """Read a Prodigy/spaCy-style span dict; with `text`, fill and check the surface."""
        return cls(*check_span(d, text))

    def to_dict(self, style: str = "record") -> dict[str, Any]:
        """The span as written: "record" (annotate output: source and score always), "gold" (only the keys that
        are set) or "brief" (start, end, label, text, source: evaluate's JSON report)."""
        d: dict[str, Any] = {"start": self.start, "end": self.end, "label": self.label, "text": self.text}
        if style == "brief":
            d["source"] = self.source
            return d
        if style == "record" or self.source:
            d["source"] = self.source
        if style == "record" or self.score is not None:
            d["score"] = self.score
        for key in SPAN_OPTIONAL:
            if getattr(self, key) is not None:
                d[key] = getattr(self, key)
        return d


def _sorted(spans: Iterable[Span]) -> tuple[Span, ...]:
    return tuple(sorted(spans, key=lambda s: (s.start, s.end)))


@dataclass(frozen=True)
class Record:
    """One article: the input text unchanged, its spans, sentences, metadata and optional tokens."""

    id: str
    text: str
    spans: tuple[Span, ...] = ()
    sentences: tuple[tuple[int, int], ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
    tokens: tuple[tuple[int, int, str], ...] | None = None
    kner: dict[str, Any] | None = None

    @classmethod
    def from_dict(cls, d: Any, default_id: str = "") -> Record:
        """Read our format (or any JSON object with `text`, optional `id`, `meta`, `spans`...), checking it all."""
        if not isinstance(d, dict):
            raise RecordError(f"expected a JSON object, got {type(d).__name__}")
        text = d.get("text")
        if text is None:
            raise RecordError("record has no 'text' field")
        if not isinstance(text, str):
            raise RecordError(f"'text' must be a string, got {type(text).__name__}")
        meta = d.get("meta") or {}
        if not isinstance(meta, dict):
            raise RecordError(f"'meta' must be an object, got {type(meta).__name__}")
        spans = d.get("spans") or ()
        if not isinstance(spans, list | tuple):
            raise RecordError(f"'spans' must be a list, got {type(spans).__name__}")
        tokens = d.get("tokens")
        kner = d.get("kner")
        if kner is not None and not isinstance(kner, dict):
            raise RecordError(f"'kner' must be an object, got {type(kner).__name__}")
        return cls(
            id=check_id(d.get("id"), default_id),
            text=text,
            spans=_sorted(Span(*check_span(s, text)) for s in spans),
            sentences=_pairs(d.get("sentences") or [], "sentences"),
            meta=meta,
            tokens=None if tokens is None else _tokens(tokens),
            kner=kner,
        )

    def to_dict(self, style: str = "record") -> dict[str, Any]:
        """The record as written: "record" is annotate's output (every key, documented order); "gold" is the gold
        format (only what is set: no empty sentences, span extras only when set)."""
        if style == "gold":
            d: dict[str, Any] = {"id": self.id, "text": self.text,
                                 "spans": [s.to_dict("gold") for s in self.spans], "meta": self.meta}
            if self.sentences:
                d["sentences"] = [list(s) for s in self.sentences]
        else:
            d = {"id": self.id, "text": self.text, "spans": [s.to_dict() for s in self.spans],
                 "sentences": [list(s) for s in self.sentences], "meta": self.meta}
        if self.kner is not None:
            d["kner"] = self.kner
        if self.tokens is not None:
            d["tokens"] = [{"start": s, "end": e, "tag": t} for s, e, t in self.tokens]
        return d

    def to_json(self, style: str = "record") -> str:
        """One JSONL line (without newline), UTF-8 readable, not ASCII-escaped."""
        return json.dumps(self.to_dict(style), ensure_ascii=False)

    def with_spans(self, spans) -> Record:
        """A copy with other spans, sorted by offset."""
        return replace(self, spans=_sorted(spans))
