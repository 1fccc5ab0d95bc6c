"""Read and write annotation-tool formats, so records can be corrected elsewhere and come back unchanged."""

from __future__ import annotations

import json
import os
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .inputs import InputError
from .output import AtomicJsonlWriter
from .records import Record, RecordError, Span

FORMATS = ("kner", "prodigy", "doccano", "labelstudio", "conll", "docbin")
CONLL_SUFFIXES = (".conll", ".bio", ".iob", ".iob2", ".bioes")
SPAN_EXTRAS = ("source", "score", "canonical", "rule")  # span keys beyond start/end/label/text


class FormatError(ValueError):
    """A file that cannot be read or written as the format asked for; the message says why."""


class FormatWarning(UserWarning):
    """Something skipped or dropped during a conversion; the message says what and where."""


def warn(message: str) -> None:
    """Report a skipped record or a dropped field (never lose data silently)."""
    warnings.warn(message, FormatWarning, stacklevel=2)


# ---------------------------------------------------------------- detection

def detect_format(path: str | os.PathLike) -> str:
    """Name the format of `path` from its suffix, or from its first record for JSON files."""
    path = Path(path)
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes[-1:] == [".spacy"]:
        return "docbin"
    if suffixes and suffixes[-1] in CONLL_SUFFIXES:
        return "conll"
    with open(path, encoding="utf-8-sig") as f:
        head = f.read(1 << 16).lstrip()
    if head.startswith("["):
        return "labelstudio"
    first = head.split("\n", 1)[0]
    try:
        obj = json.loads(first)
    except json.JSONDecodeError:
        raise FormatError(f"{path}: cannot tell the format (first line is not a JSON object); "
                          f"name it with --format, one of {', '.join(FORMATS)}") from None
    return _detect_record(obj)


def _detect_record(obj: Any) -> str:
    """Which JSONL format one record belongs to."""
    if not isinstance(obj, dict):
        raise FormatError(f"first record is a {type(obj).__name__}, not a JSON object")
    if isinstance(obj.get("label"), list) or isinstance(obj.get("entities"), list):
        return "doccano"
    tokens = obj.get("tokens")
    prodigy_tokens = isinstance(tokens, list) and bool(tokens) and isinstance(tokens[0], dict) and "ws" in tokens[0]
    if prodigy_tokens or any(k in obj for k in ("_input_hash", "_task_hash", "answer")):
        return "prodigy"
    return "kner"


# ---------------------------------------------------------------- public entry points

def read_records(path: str | os.PathLike, fmt: str = "auto") -> Iterator[Record]:
    """Records from `path` in format `fmt` ("auto" detects it); bad records are skipped with a FormatWarning."""
    fmt = detect_format(path) if fmt == "auto" else fmt
    if fmt not in READERS:
        raise FormatError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    yield from READERS[fmt](str(path))


def write_records(records: Iterable[Record], path: str | os.PathLike, fmt: str, **options: Any) -> int:
    """Write `records` to `path` in format `fmt` atomically; returns how many were written.

    Whatever the format cannot hold is listed in one FormatWarning at the end.
    """
    if fmt not in WRITERS:
        raise FormatError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return WRITERS[fmt](records, str(path), **options)


# ---------------------------------------------------------------- shared helpers

def span_dict(span: Span) -> dict[str, Any]:
    """A span in the gold format: start, end, label, text, and the extras that are set."""
    d: dict[str, Any] = {"start": span.start, "end": span.end, "label": span.label, "text": span.text}
    if span.source:
        d["source"] = span.source
    for key in ("score", "canonical", "rule"):
        if getattr(span, key) is not None:
            d[key] = getattr(span, key)
    return d


def gold_dict(record: Record) -> dict[str, Any]:
    """A record in the gold format of ANNOTATION.md, plus the pipeline's blocks when present."""
    d: dict[str, Any] = {"id": record.id, "text": record.text, "spans": [span_dict(s) for s in record.spans],
                         "meta": record.meta}
    if record.sentences:
        d["sentences"] = [list(s) for s in record.sentences]
    if record.kner is not None:
        d["kner"] = record.kner
    if record.tokens is not None:
        d["tokens"] = [{"start": s, "end": e, "tag": t} for s, e, t in record.tokens]
    return d


class Losses:
    """Counts what a writer could not carry, to report it in one warning at the end."""

    def __init__(self, fmt: str):
        self.fmt = fmt
        self.counts: Counter = Counter()
        self.examples: dict[str, str] = {}

    def add(self, what: str, where: str = "", n: int = 1) -> None:
        """Note `n` losses of kind `what`, remembering the first place it happened."""
        if n:
            self.counts[what] += n
            self.examples.setdefault(what, where)

    def record_fields(self, record: Record, dropped: Iterable[str]) -> None:
        """Note which of the record's own fields (and span extras) in `dropped` are set and lost."""
        for name in dropped:
            if name in SPAN_EXTRAS:
                self.add(f"span {name}", record.id,
                         sum(bool(getattr(s, name) not in (None, "")) for s in record.spans))
            elif getattr(record, name):
                self.add(name, record.id)

    def report(self) -> None:
        """Emit one FormatWarning listing every loss, if any."""
        if self.counts:
            parts = [f"{what} ({n:,}, first in record {self.examples[what]!r})" if self.examples[what]
                     else f"{what} ({n:,})" for what, n in self.counts.items()]
            warn(f"{self.fmt} cannot hold, so dropped: " + "; ".join(parts))


def _read_jsonl(path: str) -> Iterator[tuple[int, Any]]:
    """(line number, parsed object) for each non-blank line; malformed lines are reported and skipped."""
    with open(path, encoding="utf-8-sig") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as e:
                warn(f"{InputError(path, n, f'malformed JSON ({e.msg} at column {e.colno}); skipped')}")


def _parse_all(path: str, items: Iterable[tuple[int, Any]],
               parse: Callable[[Any, str], Record | None], unit: str = "line") -> Iterator[Record]:
    """Parse each item, reporting (file, line, why) and skipping the ones that break the format."""
    stem = Path(path).name.split(".")[0]
    for n, obj in items:
        try:
            if not isinstance(obj, dict):
                raise RecordError(f"expected a JSON object, got {type(obj).__name__}")
            record = parse(obj, f"{stem}:{n}")
        except (RecordError, KeyError, TypeError, ValueError) as e:
            where = f"{path}:{n}" if unit == "line" else f"{path} {unit} {n}"
            warn(f"{where}: {e}; record skipped")
            continue
        if record is not None:
            yield record


def _write_jsonl(path: str, dicts: Iterable[dict[str, Any]]) -> int:
    """Write one JSON object per line, readable UTF-8, atomically (OUT.partial renamed on success)."""
    n = 0
    with AtomicJsonlWriter(path) as writer:
        for d in dicts:
            writer.write(json.dumps(d, ensure_ascii=False))
            n += 1
    return n


def _record(rid: Any, text: Any, spans: list[dict[str, Any]], meta: Any, default_id: str,
            extra: dict[str, Any] | None = None) -> Record:
    """Build and check a Record from fields gathered by a reader."""
    d = {"id": rid, "text": text, "spans": spans, "meta": meta, **(extra or {})}
    return Record.from_dict(d, default_id=default_id)


# ---------------------------------------------------------------- kner (our JSONL, the gold format)

def read_kner(path: str) -> Iterator[Record]:
    """Our JSONL: output of `kner annotate` or a gold file."""
    return _parse_all(path, _read_jsonl(path), lambda d, default: Record.from_dict(d, default_id=default))


def write_kner(records: Iterable[Record], path: str) -> int:
    """Our JSONL in the gold format; nothing is lost."""
    return _write_jsonl(path, (gold_dict(r) for r in records))


# ---------------------------------------------------------------- Prodigy JSONL

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


def prodigy_dict(record: Record, tokens: list[dict[str, Any]] | None = None,
                 token_spans: dict[tuple[int, int], tuple[int, int]] | None = None) -> dict[str, Any]:
    """A Prodigy task: our id, text, meta; spans with all their extras and token indices when known."""
    spans = []
    for s in record.spans:
        d = span_dict(s)
        if token_spans and (s.start, s.end) in token_spans:
            d["token_start"], d["token_end"] = token_spans[(s.start, s.end)]
        spans.append(d)
    task: dict[str, Any] = {"id": record.id, "text": record.text, "meta": record.meta, "spans": spans}
    if tokens is not None:
        task["tokens"] = tokens
    if record.sentences:
        task["sentences"] = [list(s) for s in record.sentences]
    if record.kner is not None:
        task["kner"] = record.kner
    return task


def write_prodigy(records: Iterable[Record], path: str) -> int:
    """Prodigy JSONL with spans only (no tokens); our Kiwi tokens field is the one thing dropped."""
    losses = Losses("prodigy")

    def tasks() -> Iterator[dict[str, Any]]:
        for r in records:
            losses.record_fields(r, ("tokens",))
            yield prodigy_dict(r)

    n = _write_jsonl(path, tasks())
    losses.report()
    return n


# ---------------------------------------------------------------- doccano JSONL

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


READERS: dict[str, Callable[[str], Iterator[Record]]] = {
    "kner": read_kner, "prodigy": read_prodigy, "doccano": read_doccano,
}
WRITERS: dict[str, Callable[..., int]] = {
    "kner": write_kner, "prodigy": write_prodigy, "doccano": write_doccano,
}
