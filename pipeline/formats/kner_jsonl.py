"""Our JSONL (the output of `kner annotate` and the gold format): read and written with nothing lost."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..records import Record
from .common import _parse_all, _read_jsonl, _write_jsonl


def read_kner(path: str) -> Iterator[Record]:
    """Our JSONL: output of `kner annotate` or a gold file."""
    return _parse_all(path, _read_jsonl(path), lambda d, default: Record.from_dict(d, default_id=default))


def write_kner(records: Iterable[Record], path: str) -> int:
    """Our JSONL in the gold format; nothing is lost."""
    return _write_jsonl(path, (r.to_dict("gold") for r in records))


