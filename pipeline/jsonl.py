"""The one JSONL reader: every command reads JSON lines (and whole JSON files) through here.

- gzip is recognised by its magic bytes, not by the file name, for files and standard input alike;
- a line is read with a byte limit (annotate derives it from --max-chars), so a file without newlines, a gzip
  holding one huge line or a stretch of blank lines never fills memory or runs forever;
- binary data (NUL bytes at the start) stops the file with one error instead of one per line;
- a line that is not UTF-8, not JSON, nested deeper than MAX_DEPTH, or whose `text` holds a lone surrogate
  (`"\\ud800"`, which no UTF-8 file can hold) is reported with its line number and skipped; a lone surrogate
  elsewhere (an id, meta) is replaced by U+FFFD and reported as a warning.

Readers get `(line number, value)` pairs, where value is the parsed JSON or an InputError (with `warning` set
for a line that is still read).
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import zlib
from collections.abc import Iterator
from typing import IO, Any

from .errors import BINARY, MALFORMED, SURROGATE, TOO_DEEP, TOO_LONG, UNDECODABLE, UNREADABLE, InputError
from .records import _SURROGATES as _SURROGATE

STDIN = "-"
GZIP_MAGIC = b"\x1f\x8b"
MAX_LINE_BYTES = 64 << 20  # any line of ours (a 1M-char article with --tokens is ~30 MB) fits
MAX_JSON_BYTES = 1 << 30  # a whole-file JSON document (a Label Studio export)
MAX_DEPTH = 64  # nesting of a record: ours is 3 deep (record, spans, span); meta may nest a little
HEAD = 8192  # bytes looked at for binary data
_STREAM_ERRORS = (OSError, EOFError, zlib.error)  # a cut-off or corrupt gzip raises EOFError or zlib.error


def line_limit(max_chars: int) -> int:
    """Bytes a JSONL line may take when its text may hold `max_chars` characters: 12 bytes per character (a
    non-BMP character written as two \\u escapes), 4 more for spans and the like, plus 1 MiB of meta."""
    return 16 * max_chars + (1 << 20)


def open_binary(path: str) -> IO[bytes]:
    """A binary stream of `path` ("-": standard input), decompressed when it starts with the gzip magic bytes."""
    raw = sys.stdin.buffer if path == STDIN else open(path, "rb")  # noqa: SIM115 (closed by the caller)
    if not hasattr(raw, "peek"):
        raw = io.BufferedReader(raw)
    try:
        head = raw.peek(2)[:2]
    except OSError:
        raw.close()
        raise
    if head == GZIP_MAGIC:
        gz = gzip.GzipFile(fileobj=raw, mode="rb")
        gz.myfileobj = raw  # closed with it
        return gz
    return raw


def binary_head(stream: IO[bytes]) -> bool:
    """True when the first bytes hold a NUL: binary data, or UTF-16 text (JSON files must be UTF-8)."""
    try:
        head = stream.peek(HEAD)[:HEAD] if hasattr(stream, "peek") else b""
    except _STREAM_ERRORS:
        return False  # the reader reports it
    return b"\x00" in head


def iter_lines(stream: IO[bytes], name: str, limit: int = MAX_LINE_BYTES) -> Iterator[tuple[int, bytes | InputError]]:
    """(line number, raw line) for each non-blank line, or an InputError for a line over `limit` bytes.

    Over-long lines are skipped by reading on in bounded chunks; more than `limit` bytes of blank lines in a row
    (a gzip of newlines) or a line that goes on past 16 x `limit` stop the file with an error.
    """
    n = blank = 0
    try:
        while True:
            line = stream.readline(limit + 1)
            if not line:
                return
            n += 1
            if len(line) > limit and not line.endswith(b"\n"):
                size = len(line)
                while size <= 16 * limit:
                    chunk = stream.readline(1 << 20)
                    size += len(chunk)
                    if not chunk or chunk.endswith(b"\n"):
                        break
                else:
                    yield n, InputError(name, n, f"line goes on past {size:,} bytes without a newline; "
                                                 "rest of the file skipped", TOO_LONG)
                    return
                yield n, InputError(name, n, f"line of {size:,} bytes is over the limit of {limit:,} bytes "
                                             "(raise --max-chars if its article is meant to be that long)", TOO_LONG)
                continue
            if line.isspace():
                blank += len(line)
                if blank > limit:
                    yield n, InputError(name, n, f"over {limit:,} bytes of blank lines in a row; rest of the file "
                                                 "skipped", TOO_LONG)
                    return
                continue
            blank = 0
            yield n, line
    except _STREAM_ERRORS as e:
        yield n + 1, InputError(name, n + 1, f"cannot read further ({_why(e)}); rest of the file skipped",
                                UNREADABLE)


def _why(e: BaseException) -> str:
    return getattr(e, "strerror", None) or str(e) or type(e).__name__


def parse_line(raw: bytes, n: int, name: str, first: bool = False, surrogates: bool = True) -> list[tuple[int, Any]]:
    """The value of one JSON line as [(n, value)], preceded by a warning or replaced by an error (InputError).

    `surrogates=False` leaves lone surrogates for the caller to check (`check_value`) item by item.
    """
    try:
        value = json.loads(raw.decode("utf-8-sig" if first else "utf-8"))
    except UnicodeDecodeError as e:
        return [(n, InputError(name, n, f"not UTF-8 (undecodable byte at column {e.start + 1})", UNDECODABLE))]
    except json.JSONDecodeError as e:
        return [(n, InputError(name, n, f"malformed JSON ({e.msg} at column {e.colno})", MALFORMED))]
    except RecursionError:
        return [(n, InputError(name, n, f"JSON nested too deeply (over {MAX_DEPTH} levels)", TOO_DEEP))]
    return check_value(value, n, name, surrogates=surrogates and (b"\\ud" in raw or b"\\uD" in raw),
                       deep=raw.count(b"[") + raw.count(b"{") > MAX_DEPTH)


def check_value(value: Any, n: int, name: str, surrogates: bool = True, deep: bool = True) -> list[tuple[int, Any]]:
    """Refuse a value nested over MAX_DEPTH or whose `text` holds a lone surrogate; make other strings safe."""
    if deep and _depth(value) > MAX_DEPTH:
        return [(n, InputError(name, n, f"JSON nested too deeply (over {MAX_DEPTH} levels)", TOO_DEEP))]
    if not surrogates:
        return [(n, value)]
    found: list[str] = []
    try:
        value = _safe(value, "", found)
    except _LoneSurrogate as e:
        return [(n, InputError(name, n, str(e), SURROGATE))]
    if not found:
        return [(n, value)]
    where = ", ".join(dict.fromkeys(found))
    return [(n, InputError(name, n, f"lone UTF-16 surrogate in {where} replaced by U+FFFD", SURROGATE, True)),
            (n, value)]


def _depth(value: Any) -> int:
    """Nesting depth of lists and objects, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, dict):
            v = v.values()
        elif not isinstance(v, list):
            continue
        deepest = max(deepest, d)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((x, d + 1) for x in v if isinstance(x, dict | list))
    return deepest


class _LoneSurrogate(ValueError):
    pass


def _safe(v: Any, path: str, found: list[str]) -> Any:
    """`v` with lone surrogates replaced, noting where; a `text` field with one cannot be changed and raises."""
    if isinstance(v, str):
        m = _SURROGATE.search(v)
        if m is None:
            return v
        if path.rsplit(".", 1)[-1] == "text":
            raise _LoneSurrogate(f"'{path}' holds a lone UTF-16 surrogate ({ascii(m.group())}) at offset {m.start()},"
                                 " which no UTF-8 file can hold; fix the text where it was made")
        found.append(path or "a value")
        return _SURROGATE.sub("\ufffd", v)
    if isinstance(v, dict):
        return {_safe(k, f"{path}.key", found): _safe(x, f"{path}.{k}" if path else str(k), found)
                for k, x in v.items()}
    if isinstance(v, list):
        return [_safe(x, path, found) for x in v]
    return v


def read_jsonl(path: str, limit: int = MAX_LINE_BYTES, stream: IO[bytes] | None = None,
               name: str | None = None) -> Iterator[tuple[int, Any]]:
    """(line number, value or InputError) for every non-blank line of a JSONL file ("-": stdin; gzip or not).

    A file that cannot be opened or is binary gives one InputError with line 0.
    """
    name = name or path
    try:
        f = stream if stream is not None else open_binary(path)
    except OSError as e:
        yield 0, InputError(name, 0, f"cannot read file ({_why(e)})", UNREADABLE)
        return
    try:
        if binary_head(f):
            yield 0, InputError(name, 0, "binary data, not UTF-8 JSON lines (a NUL byte near the start; UTF-16 "
                                         "files must be converted to UTF-8)", BINARY)
            return
        first = True
        for n, raw in iter_lines(f, name, limit):
            if isinstance(raw, InputError):
                yield n, raw
                continue
            yield from parse_line(raw, n, name, first)
            first = False
    finally:
        if stream is None and f is not sys.stdin.buffer:
            f.close()


def read_json(path: str, name: str | None = None, limit: int = MAX_JSON_BYTES) -> Any:
    """A whole JSON document (gzip or not), checked for depth; raises ValueError saying what is wrong.

    Lone surrogates are left for the caller to check per item (`check_value`), so one bad task does not refuse
    the whole file.
    """
    name = name or path
    with open_binary(path) as f:
        if binary_head(f):
            raise ValueError(f"{name}: binary data, not a UTF-8 JSON file")
        try:
            data = f.read(limit + 1)
        except _STREAM_ERRORS as e:
            raise ValueError(f"{name}: cannot read ({_why(e)})") from None
    if len(data) > limit:
        raise ValueError(f"{name}: over {limit:,} bytes; split it into smaller files")
    [(_, value)] = parse_line(data, 1, name, first=True, surrogates=False)
    if isinstance(value, InputError):
        raise ValueError(f"{name}: {value.reason}")
    return value
