"""What every format module shares: warnings, the loss report, reading records line by line and writing them."""

from __future__ import annotations

import json
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import FormatError, InputError
from ..jsonl import read_jsonl
from ..output import AtomicJsonlWriter
from ..records import Record, RecordError

FORMATS = ("kner", "prodigy", "doccano", "labelstudio", "conll", "docbin")
CONLL_SUFFIXES = (".conll", ".bio", ".iob", ".iob2", ".bioes")
SPAN_EXTRAS = ("source", "score", "canonical", "rule")  # span keys beyond start/end/label/text


class FormatWarning(UserWarning):
    """Something skipped or dropped during a conversion; the message says what and where."""


class SkipWarning(FormatWarning):
    """A record that breaks its format and was skipped (file, line or task, why)."""


def warn(message: str, category: type[FormatWarning] = FormatWarning) -> None:
    """Report a skipped record or a dropped field (never lose data silently)."""
    warnings.warn(message, category, stacklevel=2)



class Losses:
    """Counts what a writer could not carry, to report it in one warning at the end."""

    def __init__(self, fmt: str, heading: str = "cannot hold, so dropped"):
        self.fmt = fmt
        self.heading = heading
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
            warn(f"{self.fmt} {self.heading}: " + "; ".join(parts))


def _read_jsonl(path: str) -> Iterator[tuple[int, Any]]:
    """(line number, parsed object) for each non-blank line; unreadable lines are reported and skipped."""
    for n, obj in read_jsonl(path):
        if isinstance(obj, InputError):
            if obj.line == 0 and not obj.warning:
                raise FormatError(f"{obj.file}: {obj.reason}", obj.code)
            warn(f"{obj}{'' if obj.warning else '; skipped'}", FormatWarning if obj.warning else SkipWarning)
        else:
            yield n, obj


def _parse_all(path: str, items: Iterable[tuple[int, Any]], parse: Callable[[Any, str], Record | None],
               unit: str = "line", objects: bool = True) -> Iterator[Record]:
    """Parse each item (a JSON object unless `objects=False`), reporting (file, line, why) and skipping the ones
    that break the format."""
    stem = Path(path).name.split(".")[0]
    for n, obj in items:
        try:
            if objects and not isinstance(obj, dict):
                raise RecordError(f"expected a JSON object, got {type(obj).__name__}")
            record = parse(obj, f"{stem}:{n}")
        except (RecordError, KeyError, TypeError, ValueError, AttributeError, IndexError) as e:
            where = f"{path}:{n}" if unit == "line" else f"{path} {unit} {n}"
            reason = f"missing field {e}" if isinstance(e, KeyError) else getattr(e, "message", str(e))
            warn(f"[{getattr(e, 'code', RecordError.code)}] {where}: {reason}; record skipped", SkipWarning)
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


