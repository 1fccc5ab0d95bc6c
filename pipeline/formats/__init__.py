"""Read and write annotation-tool formats, so records can be corrected elsewhere and come back unchanged.

One module per format; the token alignment and BIO code they share is in `align`, the rest in `common`.
"""

from __future__ import annotations

import json
import os
import warnings
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import BINARY, UNDECODABLE, UNREADABLE, FormatError
from ..jsonl import MAX_LINE_BYTES, binary_head, open_binary
from ..records import Record
from .align import EDGE_LOSS, OVERLAP_LOSS, aligned_doc, cut_tokens, token_span
from .common import CONLL_SUFFIXES, FORMATS, SPAN_EXTRAS, FormatWarning, Losses, SkipWarning, warn
from .conll import conll_lines, read_conll, write_conll
from .docbin import DOCBIN_KEY, read_docbin, write_docbin
from .doccano import DOCCANO_ID, read_doccano, write_doccano
from .kner_jsonl import read_kner, write_kner
from .labelstudio import LABEL_CONFIG, labelstudio_task, read_labelstudio, utf16_offsets, write_labelstudio
from .prodigy import prodigy_dict, read_prodigy, write_prodigy

# ---------------------------------------------------------------- detection

def detect_format(path: str | os.PathLike) -> str:
    """Name the format of `path` from its suffix, or from its first record for JSON files."""
    path = Path(path)
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes[-1:] == [".spacy"]:
        return "docbin"
    if suffixes and suffixes[-1] in CONLL_SUFFIXES:
        return "conll"
    try:
        with open_binary(str(path)) as f:
            if binary_head(f):
                raise FormatError(f"{path}: binary data, not a text format; a DocBin needs the .spacy suffix",
                                  BINARY)
            raw = next((line for line in iter(lambda: f.readline(MAX_LINE_BYTES), b"") if line.strip()), b"")
    except OSError as e:
        raise FormatError(f"cannot read {path} ({e.strerror or e})", UNREADABLE) from None
    except (EOFError, zlib.error) as e:
        raise FormatError(f"cannot read {path} (corrupt compressed data: {e})", UNREADABLE) from None
    try:
        first = raw.decode("utf-8-sig").strip()
    except UnicodeDecodeError as e:
        raise FormatError(f"{path}: not UTF-8 (undecodable byte at column {e.start + 1} of the first line)",
                          UNDECODABLE) from None
    if not first:
        return "kner"  # an empty file: no records in any format
    if first.startswith("["):
        return "labelstudio"
    try:
        obj = json.loads(first)
    except (json.JSONDecodeError, RecursionError):
        raise FormatError(f"{path}: cannot tell the format (the first line is not JSON); name the format, "
                          f"one of {', '.join(FORMATS)}") from None
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

def read_records(path: str | os.PathLike, fmt: str = "auto", **options: Any) -> Iterator[Record]:
    """Records from `path` in format `fmt` ("auto" detects it); bad records are skipped with a SkipWarning.

    `options` go to the reader (Label Studio: `text_key`).
    """
    fmt = detect_format(path) if fmt == "auto" else fmt
    if fmt not in READERS:
        raise FormatError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    yield from READERS[fmt](str(path), **options)


def write_records(records: Iterable[Record], path: str | os.PathLike, fmt: str, **options: Any) -> int:
    """Write `records` to `path` in format `fmt` atomically; returns how many were written.

    Whatever the format cannot hold is listed in one FormatWarning at the end.
    """
    if fmt not in WRITERS:
        raise FormatError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return WRITERS[fmt](records, str(path), **options)


def convert(src: str | os.PathLike, dst: str | os.PathLike, src_fmt: str = "auto", dst_fmt: str = "kner", *,
            text_key: str = "text", as_annotations: bool = False,
            conll_comments: bool = False) -> tuple[int, list[Warning]]:
    """Read `src` and write it to `dst` in `dst_fmt`: (records written, every warning raised on the way).

    `text_key` names the text field of Label Studio tasks read; `as_annotations` writes Label Studio spans
    as a submitted annotation instead of predictions; `conll_comments` writes CoNLL ids and texts as `#` lines
    instead of the side file OUT.ids.
    """
    src_fmt = detect_format(src) if src_fmt == "auto" else src_fmt
    if src_fmt not in READERS:
        raise FormatError(f"unknown format {src_fmt!r}; choose one of {', '.join(FORMATS)}")
    if text_key != "text" and src_fmt != "labelstudio":
        raise FormatError(f"a text key applies to Label Studio input only, and {src} is {src_fmt}")
    if as_annotations and dst_fmt != "labelstudio":
        raise FormatError(f"annotations instead of predictions apply to Label Studio output only, not {dst_fmt}")
    read_options = {"text_key": text_key} if src_fmt == "labelstudio" else {}
    if conll_comments and dst_fmt != "conll":
        raise FormatError(f"comment lines apply to CoNLL output only, not {dst_fmt}")
    write_options = ({"as_annotations": as_annotations} if dst_fmt == "labelstudio"
                     else {"comments": conll_comments} if dst_fmt == "conll" else {})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", FormatWarning)
        n = write_records(read_records(src, src_fmt, **read_options), dst, dst_fmt, **write_options)
    return n, [w.message for w in caught]



READERS: dict[str, Callable[..., Iterator[Record]]] = {
    "kner": read_kner, "prodigy": read_prodigy, "doccano": read_doccano, "labelstudio": read_labelstudio,
    "conll": read_conll, "docbin": read_docbin,
}
WRITERS: dict[str, Callable[..., int]] = {
    "kner": write_kner, "prodigy": write_prodigy, "doccano": write_doccano, "labelstudio": write_labelstudio,
    "conll": write_conll, "docbin": write_docbin,
}


__all__ = ["CONLL_SUFFIXES", "DOCBIN_KEY", "DOCCANO_ID", "EDGE_LOSS", "FORMATS", "LABEL_CONFIG", "OVERLAP_LOSS",
           "READERS", "SPAN_EXTRAS", "WRITERS", "FormatError", "FormatWarning", "Losses", "SkipWarning", "aligned_doc",
           "conll_lines", "convert", "cut_tokens", "detect_format", "labelstudio_task", "prodigy_dict",
           "read_conll", "read_docbin", "read_doccano", "read_kner", "read_labelstudio", "read_prodigy",
           "read_records", "token_span", "utf16_offsets", "warn", "write_conll", "write_docbin", "write_doccano",
           "write_kner", "write_labelstudio", "write_prodigy", "write_records"]
