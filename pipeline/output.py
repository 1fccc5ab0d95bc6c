"""Write JSONL (optionally gzip) atomically: a run that dies never leaves a truncated output file."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO


def partial_path(out: str | os.PathLike) -> Path:
    """Where an unfinished run keeps its records; renamed to OUT when the run completes."""
    out = Path(out)
    return out.with_name(out.name + ".partial")


def _open(path: Path, mode: str) -> IO[str]:
    """Text handle on a plain or gzip file (gzip chosen by the final output's suffix)."""
    if ".gz" in path.suffixes:
        return gzip.open(path, mode + "t", encoding="utf-8", newline="\n")
    return open(path, mode, encoding="utf-8", newline="\n")


def read_complete_lines(path: Path) -> Iterator[str]:
    """The lines of a (possibly cut-off) JSONL file that are whole JSON objects; a torn tail is dropped."""
    try:
        with _open(path, "r") as f:
            for line in f:
                if not line.endswith("\n"):
                    return
                try:
                    json.loads(line)
                except json.JSONDecodeError:
                    return
                yield line
    except (EOFError, gzip.BadGzipFile, OSError):
        return


class AtomicJsonlWriter:
    """Context manager writing lines to OUT.partial and renaming it to OUT only on success.

    With `resume=True` the complete records of an earlier OUT.partial are kept and `done`
    holds their (file, line) keys so the caller can skip them.
    """

    def __init__(self, out: str | os.PathLike, resume: bool = False):
        self.out = Path(out)
        self.partial = partial_path(self.out)
        self.resume = resume
        self.done: set[tuple[str, int]] = set()
        self.kept = 0
        self._f: IO[str] | None = None

    def __enter__(self) -> AtomicJsonlWriter:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        previous = self._previous_output() if self.resume else None
        self._f = _open(self.partial, "w")
        if previous is not None:
            for line in read_complete_lines(previous):
                self._f.write(line)
                meta = json.loads(line).get("meta") or {}
                self.done.add((str(meta.get("file")), int(meta.get("line") or 0)))
            self.kept = len(self.done)
            if previous.name.endswith(".old"):
                previous.unlink()
        return self

    def _previous_output(self) -> Path | None:
        """What an earlier run left: its OUT.partial (moved aside to be copied), else a finished OUT."""
        if self.partial.exists():
            old = self.partial.with_name(self.partial.name + ".old")
            os.replace(self.partial, old)
            return old
        return self.out if self.out.exists() else None

    def write(self, line: str) -> None:
        """Append one JSON line (newline added). Writes are buffered: after a kill, `--resume` keeps the complete
        lines that reached the partial file and annotates the rest again."""
        assert self._f is not None
        self._f.write(line + "\n")

    def __exit__(self, exc_type, exc, tb) -> None:
        assert self._f is not None
        self._f.close()
        if exc_type is None:
            os.replace(self.partial, self.out)
