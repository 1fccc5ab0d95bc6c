"""doccano sequence-labelling JSONL."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..records import Record, RecordError
from .common import SPAN_EXTRAS, Losses, _parse_all, _read_jsonl, _record, _write_jsonl

DOCCANO_ID = "kner_id"  # doccano puts its own database id in "id"; ours travels as an extra column


def read_doccano(path: str) -> Iterator[Record]:
    """doccano sequence-labelling JSONL: `label: [[start, end, label], ...]` or `entities` with *_offset keys."""

    def parse(d: dict[str, Any], default_id: str) -> Record:
        if "label" in d:
            spans = []
            for item in d["label"]:
                if not (isinstance(item, list) and len(item) == 3):
                    raise RecordError(f"doccano label must be [start, end, label], got {item!r}")
                spans.append({"start": item[0], "end": item[1], "label": item[2]})
        else:
            spans = [{"start": e["start_offset"], "end": e["end_offset"], "label": e["label"]}
                     for e in d.get("entities") or []]
        text = d["text"] if "text" in d else d.get("data")
        rid = d.get(DOCCANO_ID, d.get("id"))
        extra = {"kner": d["kner"]} if "kner" in d else {}
        return _record(rid, text, spans, d.get("meta") or {}, default_id, extra)

    return _parse_all(path, _read_jsonl(path), parse)


def write_doccano(records: Iterable[Record], path: str) -> int:
    """doccano JSONL (`label` triples in code points); span extras cannot be held and are reported."""
    losses = Losses("doccano")

    def rows() -> Iterator[dict[str, Any]]:
        for r in records:
            losses.record_fields(r, ("sentences", "tokens", *SPAN_EXTRAS))
            row: dict[str, Any] = {DOCCANO_ID: r.id, "text": r.text,
                                   "label": [[s.start, s.end, s.label] for s in r.spans], "meta": r.meta}
            if r.kner is not None:
                row["kner"] = r.kner
            yield row

    n = _write_jsonl(path, rows())
    losses.report()
    return n


