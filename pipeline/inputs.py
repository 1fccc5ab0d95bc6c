"""Read articles from .txt files, directories, JSONL files and stdin; report bad input instead of crashing."""

from __future__ import annotations

import codecs
import gzip
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .records import Record, RecordError

DEFAULT_MAX_CHARS = 1_000_000  # a 1M-char article takes ~30 s and ~0.9 GB; a news article is ~5k
STDIN = "-"


@dataclass(frozen=True)
class InputError:
    """A skipped input: which file, which line (0 for a whole file) and why."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.reason}"


def expand_paths(paths: Iterable[str], glob: str = "*.txt") -> Iterator[str | InputError]:
    """Files as given, directories searched recursively (sorted, symlink loops skipped) for `glob`."""
    for raw in paths:
        if raw == STDIN:
            yield STDIN
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path, glob, set())
        elif path.exists():
            yield str(path)
        else:
            yield InputError(raw, 0, "no such file or directory")


def _walk(folder: Path, glob: str, seen: set[tuple[int, int]]) -> Iterator[str | InputError]:
    """Depth-first, sorted walk that notices a directory it has already entered."""
    try:
        st = folder.stat()
        entries = sorted(folder.iterdir())
    except OSError as e:
        yield InputError(str(folder), 0, f"cannot read directory ({e.strerror or e})")
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:
        yield InputError(str(folder), 0, "directory symlink loop, skipped")
        return
    seen = seen | {key}
    for entry in entries:
        if entry.is_dir():
            yield from _walk(entry, glob, seen)
        elif entry.match(glob):
            yield str(entry)


def decode(data: bytes) -> tuple[str, str]:
    """Decode article bytes: UTF-8 (BOM optional), UTF-16 with BOM, or CP949/EUC-KR; raise ValueError for binary."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as e:
                raise ValueError(f"starts with a {encoding} byte-order mark but byte {e.start} is invalid") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        if _looks_binary(data):
            raise ValueError("binary file (not text)") from None
        try:
            return data.decode("cp949"), "cp949"
        except UnicodeDecodeError:
            raise ValueError(
                f"not UTF-8, UTF-16 or CP949/EUC-KR text: undecodable byte at offset {utf8_error.start}; "
                "convert it to UTF-8 (e.g. iconv)"
            ) from None
    if _looks_binary(data, strict=False):
        raise ValueError("binary file (not text)")
    return text, "utf-8"


def _looks_binary(data: bytes, strict: bool = True) -> bool:
    """Control bytes in the first 8 KiB: a few NULs condemn undecodable data, a third of valid UTF-8."""
    head = data[:8192]
    controls = sum(b < 32 and b not in (9, 10, 12, 13, 27) for b in head)
    if strict:
        return head.count(0) > len(head) // 100 + 1 or controls > len(head) // 10
    return controls > len(head) // 3


def _check_text(text: str, file: str, line: int, max_chars: int) -> InputError | None:
    """An article must have something to annotate and not be absurdly large."""
    if not text.strip():
        return InputError(file, line, "empty article")
    if len(text) > max_chars:
        return InputError(file, line, f"article has {len(text):,} characters, over the limit of {max_chars:,} "
                                      "(raise --max-chars or split it)")
    return None


def read_text_file(path: str, max_chars: int) -> Iterator[Record | InputError]:
    """One .txt file is one article; its id is the file stem."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        yield InputError(path, 0, f"cannot read file ({e.strerror or e})")
        return
    try:
        text, encoding = decode(data)
    except ValueError as e:
        yield InputError(path, 0, str(e))
        return
    error = _check_text(text, path, 0, max_chars)
    if error:
        yield error
        return
    meta = {"file": path, "line": 0}
    if encoding != "utf-8":
        meta["encoding"] = encoding
    yield Record(id=Path(path).stem, text=text, meta=meta)


def parse_jsonl(lines: Iterable[bytes], path: str) -> Iterator[tuple[int, Any]]:
    """(line number, parsed JSON value) per non-blank line, or an InputError saying why the line is unreadable.

    The one JSONL line parser: annotate input and every `kner import` format read through it. A UTF-8 BOM is
    allowed on the first line.
    """
    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            yield n, json.loads(raw.decode("utf-8-sig" if n == 1 else "utf-8"))
        except UnicodeDecodeError as e:
            yield n, InputError(path, n, f"not UTF-8 (undecodable byte at column {e.start + 1})")
        except json.JSONDecodeError as e:
            yield n, InputError(path, n, f"malformed JSON ({e.msg} at column {e.colno})")


def read_jsonl_lines(lines: Iterable[bytes], path: str, max_chars: int) -> Iterator[Record | InputError]:
    """Records with `text` and optional `id`, `meta`; ids default to `stem:line`."""
    stem = "stdin" if path == STDIN else Path(path).name.split(".")[0]
    for n, obj in parse_jsonl(lines, path):
        if isinstance(obj, InputError):
            yield obj
            continue
        try:
            record = Record.from_dict(obj, default_id=f"{stem}:{n}")
        except RecordError as e:
            yield InputError(path, n, str(e))
            continue
        error = _check_text(record.text, path, n, max_chars)
        if error:
            yield error
            continue
        meta = {**record.meta, "file": path, "line": n}
        yield Record(id=record.id, text=record.text, spans=record.spans, meta=meta)


def read_jsonl_file(path: str, max_chars: int) -> Iterator[Record | InputError]:
    """Stream a .jsonl or .jsonl.gz file line by line."""
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            yield from read_jsonl_lines(f, path, max_chars)
    except (OSError, EOFError) as e:
        yield InputError(path, 0, f"cannot read file ({getattr(e, 'strerror', None) or e})")


def read_stdin(max_chars: int, stream=None) -> Iterator[Record | InputError]:
    """Standard input: JSONL when the first non-blank byte is '{', otherwise one article."""
    stream = stream or sys.stdin.buffer
    first = stream.readline()
    while first and not first.strip():
        first = stream.readline()
    if first.lstrip().startswith((b"{", b"\xef\xbb\xbf{")):
        yield from read_jsonl_lines(_chain_first(first, stream), STDIN, max_chars)
        return
    data = first + stream.read()
    try:
        text, _ = decode(data)
    except ValueError as e:
        yield InputError(STDIN, 0, str(e))
        return
    yield _check_text(text, STDIN, 0, max_chars) or Record(id="stdin", text=text, meta={"file": STDIN, "line": 0})


def _chain_first(first: bytes, stream) -> Iterator[bytes]:
    """Put back the line read to sniff the format."""
    yield first
    yield from stream


def read_inputs(paths: Iterable[str], glob: str = "*.txt",
                max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Record | InputError]:
    """Every article of every input in a deterministic order, with errors in place of bad ones."""
    for item in expand_paths(paths, glob):
        if isinstance(item, InputError):
            yield item
        elif item == STDIN:
            yield from read_stdin(max_chars)
        elif item.endswith((".jsonl", ".jsonl.gz", ".ndjson")):
            yield from read_jsonl_file(item, max_chars)
        else:
            yield from read_text_file(item, max_chars)


def count_articles(paths: Iterable[str], glob: str = "*.txt") -> int | None:
    """How many articles the inputs hold at most (JSONL lines are counted), for the progress bar's ETA."""
    total = 0
    for item in expand_paths(paths, glob):
        if item == STDIN:
            return None
        if isinstance(item, str):
            if item.endswith((".jsonl", ".jsonl.gz", ".ndjson")):
                opener = gzip.open if item.endswith(".gz") else open
                try:
                    with opener(item, "rb") as f:
                        total += sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
                except (OSError, EOFError):
                    pass
            else:
                total += 1
    return total
