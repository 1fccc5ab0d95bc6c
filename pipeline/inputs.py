"""Read articles from .txt files, directories, JSONL files and stdin; report bad input instead of crashing."""

from __future__ import annotations

import codecs
import io
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import BINARY, EMPTY, INVALID, TOO_LONG, UNDECODABLE, UNREADABLE, UNSAFE_NAME, InputError
from .jsonl import HEAD, STDIN, line_limit, read_jsonl
from .records import Record, RecordError, safe_string

DEFAULT_MAX_CHARS = 1_000_000  # a 1M-char article takes ~30 s and ~0.9 GB; a news article is ~5k
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")

__all__ = ["DEFAULT_MAX_CHARS", "STDIN", "InputError", "count_articles", "decode", "expand_paths", "read_inputs",
           "read_stdin"]


def expand_paths(paths: Iterable[str], glob: str = "*.txt") -> Iterator[str | InputError]:
    """Files as given, directories searched recursively (sorted, symlink loops skipped) for `glob`."""
    for raw in paths:
        if raw == STDIN:
            yield STDIN
            continue
        path = Path(raw)
        if path.is_dir():
            found = False
            for item in _walk(path, glob, set()):
                found = found or isinstance(item, str)
                yield item
            if not found:
                yield InputError(raw, 0, f"no file in this directory matches --glob {glob!r}", "E400")
        elif path.exists():
            yield str(path)
        else:
            yield InputError(safe_string(raw), 0, "no such file or directory", UNREADABLE)


def _walk(folder: Path, glob: str, seen: set[tuple[int, int]]) -> Iterator[str | InputError]:
    """Depth-first, sorted walk that notices a directory it has already entered."""
    try:
        st = folder.stat()
        entries = sorted(folder.iterdir())
    except OSError as e:
        yield InputError(str(folder), 0, f"cannot read directory ({e.strerror or e})", UNREADABLE)
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
    if len(text) > max_chars:
        return InputError(file, line, f"article has {len(text):,} characters, over the limit of {max_chars:,} "
                                      "(raise --max-chars or split it)", TOO_LONG)
    if not text.strip():
        return InputError(file, line, "empty article", EMPTY)
    return None


def safe_name(path: str) -> tuple[str, InputError | None]:
    """A file name that can be written as UTF-8, and a warning when it had to be changed (bytes that are not
    UTF-8 in the name, e.g. CP949 from an old archive, become U+FFFD)."""
    safe = safe_string(path)
    if safe == path:
        return path, None
    return safe, InputError(safe, 0, "file name is not valid UTF-8; written with U+FFFD in its place "
                                     "(rename it to keep it exact)", UNSAFE_NAME, warning=True)


def read_text_file(path: str, max_chars: int) -> Iterator[Record | InputError]:
    """One .txt file is one article; its id is the file stem. Never reads more than a too-long article needs."""
    name, warning = safe_name(path)
    if warning:
        yield warning
    limit = 4 * max_chars + 4  # no encoding we read takes more than 4 bytes per character (+ a BOM)
    try:
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except OSError as e:
        yield InputError(name, 0, f"cannot read file ({e.strerror or e})", UNREADABLE)
        return
    if len(data) > limit:
        yield InputError(name, 0, f"file is over {limit:,} bytes, so its article is over the limit of "
                                  f"{max_chars:,} characters (raise --max-chars or split it)", TOO_LONG)
        return
    try:
        text, encoding = decode(data)
    except ValueError as e:
        yield InputError(name, 0, str(e), BINARY if "binary" in str(e) else UNDECODABLE)
        return
    error = _check_text(text, name, 0, max_chars)
    if error:
        yield error
        return
    meta = {"file": name, "line": 0}
    if encoding != "utf-8":
        meta["encoding"] = encoding
    yield Record(id=Path(name).stem, text=text, meta=meta)


def records_from_jsonl(items: Iterable[tuple[int, Any]], path: str, max_chars: int) -> Iterator[Record | InputError]:
    """Records with `text` and optional `id`, `meta` from the JSONL reader's values; ids default to `stem:line`."""
    stem = "stdin" if path == STDIN else Path(path).name.split(".")[0]
    for n, obj in items:
        if isinstance(obj, InputError):
            yield obj
            continue
        try:
            record = Record.from_dict(obj, default_id=f"{stem}:{n}")
        except RecordError as e:
            yield InputError(path, n, e.message, INVALID)
            continue
        error = _check_text(record.text, path, n, max_chars)
        if error:
            yield error
            continue
        meta = {**record.meta, "file": path, "line": n}
        yield Record(id=record.id, text=record.text, spans=record.spans, meta=meta)


def read_jsonl_file(path: str, max_chars: int, stream=None) -> Iterator[Record | InputError]:
    """Stream a JSONL file (gzip or not, told by its first bytes) line by line, each line at most
    `line_limit(max_chars)` bytes."""
    name, warning = safe_name(path)
    if warning:
        yield warning
    yield from records_from_jsonl(read_jsonl(path, line_limit(max_chars), stream=stream, name=name), name,
                                  max_chars)


def read_stdin(max_chars: int, stream=None) -> Iterator[Record | InputError]:
    """Standard input: JSONL when the first non-blank byte is '{' (gzip or not), otherwise one article."""
    from .jsonl import binary_head, open_binary

    if stream is None:
        stream = open_binary(STDIN)
    elif not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream)
    head = stream.peek(HEAD)[:HEAD].lstrip()
    if head.startswith((b"{", b"\xef\xbb\xbf{")) and not binary_head(stream):
        yield from read_jsonl_file(STDIN, max_chars, stream)
        return
    limit = 4 * max_chars + 4
    data = stream.read(limit + 1)
    if len(data) > limit:
        yield InputError(STDIN, 0, f"over {limit:,} bytes, so the article is over the limit of {max_chars:,} "
                                   "characters (raise --max-chars or split it)", TOO_LONG)
        return
    try:
        text, _ = decode(data)
    except ValueError as e:
        yield InputError(STDIN, 0, str(e), BINARY if "binary" in str(e) else UNDECODABLE)
        return
    yield _check_text(text, STDIN, 0, max_chars) or Record(id="stdin", text=text, meta={"file": STDIN, "line": 0})


def is_jsonl(path: str) -> bool:
    """Whether an input file is read as JSON lines (by its name; the content decides gzip or not)."""
    return path.lower().endswith(JSONL_SUFFIXES)


def read_inputs(paths: Iterable[str], glob: str = "*.txt", max_chars: int = DEFAULT_MAX_CHARS,
                skip: Callable[[str], bool] | None = None) -> Iterator[Record | InputError]:
    """Every article of every input in a deterministic order, with errors in place of bad ones.

    `skip(path)` names files not to read (the run's own output, found in an input folder), each reported.
    """
    for item in expand_paths(paths, glob):
        if isinstance(item, InputError):
            yield item
        elif skip is not None and item != STDIN and skip(item):
            yield InputError(item, 0, "is this run's own output; not read", "E305", warning=True)
        elif item == STDIN:
            yield from read_stdin(max_chars)
        elif is_jsonl(item):
            yield from read_jsonl_file(item, max_chars)
        else:
            yield from read_text_file(item, max_chars)


def count_articles(paths: Iterable[str], glob: str = "*.txt") -> int | None:
    """How many articles the inputs hold at most (JSONL lines are counted), for the progress bar's ETA."""
    from .jsonl import open_binary

    total = 0
    for item in expand_paths(paths, glob):
        if item == STDIN:
            return None
        if isinstance(item, str):
            if is_jsonl(item) and os.path.isfile(item):  # not a device or a pipe, which may never end
                try:
                    with open_binary(item) as f:
                        total += sum(chunk.count(b"\n") for chunk in iter(lambda f=f: f.read(1 << 20), b""))
                except (OSError, EOFError, zlib.error):
                    pass
            else:
                total += 1
        else:
            total += 1
    return total
