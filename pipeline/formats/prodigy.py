"""Prodigy JSONL tasks (db-out to read, ner.manual-ready tasks to write)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from ..records import Record
from .align import EDGE_LOSS, aligned_doc, token_span
from .common import Losses, _parse_all, _read_jsonl, _record, _write_jsonl, warn

PRODIGY_CARRIED = ("sentences", "kner")  # our record blocks kept as extra top-level task keys


def read_prodigy(path: str) -> Iterator[Record]:
    """Prodigy tasks (db-out); only accepted answers are gold, the others are counted and reported."""
    rejected: Counter = Counter()

    def parse(d: dict[str, Any], default_id: str) -> Record | None:
        answer = d.get("answer", "accept")
        if answer != "accept":
            rejected[str(answer)] += 1
            return None
        meta = d.get("meta") or {}
        rid = d.get("id")
        extra = {k: d[k] for k in PRODIGY_CARRIED if k in d}
        return _record(rid, d.get("text"), d.get("spans") or [], meta, default_id, extra)

    yield from _parse_all(path, _read_jsonl(path), parse)
    if rejected:
        counts = ", ".join(f"{n:,} {a!r}" for a, n in sorted(rejected.items()))
        warn(f"{path}: skipped tasks not answered 'accept' ({counts}); they are not gold")


def prodigy_dict(record: Record, doc) -> dict[str, Any]:
    """A Prodigy task: our id, text, meta; tokens cut at span edges; spans with extras and token indices."""
    spans = []
    for s in record.spans:
        d = s.to_dict("gold")
        sp = token_span(doc, s)
        if sp is not None:
            d["token_start"], d["token_end"] = sp.start, sp.end - 1  # Prodigy's token_end is inclusive
        spans.append(d)
    tokens = [{"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i, "ws": bool(t.whitespace_)}
              for t in doc]
    task: dict[str, Any] = {"id": record.id, "text": record.text, "meta": record.meta, "tokens": tokens,
                            "spans": spans}
    if record.sentences:
        task["sentences"] = [list(x) for x in record.sentences]
    if record.kner is not None:
        task["kner"] = record.kner
    return task


def write_prodigy(records: Iterable[Record], path: str) -> int:
    """Prodigy JSONL with Kiwi tokens (cut at span edges) for ner.manual; only our own `tokens` field is dropped."""
    from spacy.vocab import Vocab

    vocab = Vocab()
    losses = Losses("prodigy")

    def tasks() -> Iterator[dict[str, Any]]:
        for r in records:
            losses.record_fields(r, ("tokens",))
            doc, _ = aligned_doc(vocab, r)
            losses.add("token indices of " + EDGE_LOSS, r.id, sum(token_span(doc, s) is None for s in r.spans))
            yield prodigy_dict(r, doc)

    n = _write_jsonl(path, tasks())
    losses.report()
    return n


