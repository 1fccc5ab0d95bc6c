"""Typed records for the annotated-JSONL contract, so loose dicts never pass between modules."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

LABELS = ("ORG", "LOC", "PROGRAM")
# Highlight colours of render, the evaluation report and kner report (ORG/LOC as in displaCy, PROGRAM added);
# here rather than in display.py so that the HTML reports do not import spaCy.
COLORS = {"ORG": "#7aecec", "LOC": "#ff9561", "PROGRAM": "#c887fb"}


class RecordError(ValueError):
    """A record or span that breaks the contract; the message says what and how to fix it."""


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

    @classmethod
    def from_dict(cls, d: dict[str, Any], text: str | None = None) -> Span:
        """Read a Prodigy/spaCy-style span dict; with `text`, fill and check the surface."""
        try:
            start, end, label = int(d["start"]), int(d["end"]), str(d["label"])
        except (KeyError, TypeError, ValueError) as e:
            raise RecordError(f"span needs integer 'start', 'end' and a 'label': {d!r}") from e
        surface = d.get("text")
        if text is not None:
            if not 0 <= start < end <= len(text):
                raise RecordError(f"span [{start}, {end}) is outside the text of length {len(text)}")
            if surface is not None and surface != text[start:end]:
                raise RecordError(
                    f"span [{start}, {end}) says {surface!r} but the text there is {text[start:end]!r}"
                )
            surface = text[start:end]
        score = d.get("score")
        return cls(
            start, end, label, surface or "", d.get("source") or "",
            None if score is None else float(score), d.get("canonical"), d.get("rule"),
        )

    def to_dict(self) -> dict[str, Any]:
        """The span as written to JSONL, optional keys only when set."""
        d: dict[str, Any] = {"start": self.start, "end": self.end, "label": self.label, "text": self.text,
                             "source": self.source, "score": self.score}
        if self.canonical is not None:
            d["canonical"] = self.canonical
        if self.rule is not None:
            d["rule"] = self.rule
        return d


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
    def from_dict(cls, d: dict[str, Any], default_id: str = "") -> Record:
        """Read our format (or any JSONL with `text`, optional `id`, `meta`, `spans`), checking offsets."""
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
        spans = tuple(sorted((Span.from_dict(s, text) for s in d.get("spans") or ()),
                             key=lambda s: (s.start, s.end)))
        tokens = d.get("tokens")
        return cls(
            id=str(d["id"]) if d.get("id") is not None else default_id,
            text=text,
            spans=spans,
            sentences=tuple((int(s), int(e)) for s, e in d.get("sentences") or ()),
            meta=meta,
            tokens=None if tokens is None else tuple((t["start"], t["end"], t["tag"]) for t in tokens),
            kner=d.get("kner"),
        )

    def to_dict(self) -> dict[str, Any]:
        """The record in the documented key order."""
        d: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "spans": [s.to_dict() for s in self.spans],
            "sentences": [list(s) for s in self.sentences],
            "meta": self.meta,
        }
        if self.kner is not None:
            d["kner"] = self.kner
        if self.tokens is not None:
            d["tokens"] = [{"start": s, "end": e, "tag": t} for s, e, t in self.tokens]
        return d

    def to_json(self) -> str:
        """One JSONL line (without newline), UTF-8 readable, not ASCII-escaped."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def with_spans(self, spans) -> Record:
        """A copy with other spans, sorted by offset."""
        return replace(self, spans=tuple(sorted(spans, key=lambda s: (s.start, s.end))))
