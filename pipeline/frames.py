"""Annotated JSONL as pandas tables (one row per span, or per article) for notebooks and ad-hoc questions."""

from __future__ import annotations

import glob as globlib
import os
import warnings
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .errors import InputError
from .formats import FormatWarning, SkipWarning
from .jsonl import read_jsonl
from .records import LABELS, RecordError, check_id, check_span

PathLike = str | os.PathLike
SPAN_FIELDS = ("start", "end", "label", "text", "source", "score", "canonical", "rule", "region")  # span columns
SPAN_COLUMNS = ("doc_id", "label", "text", "canonical", "region", "start", "end", "sentence", "source", "score",
                "rule")
DOC_COLUMNS = ("doc_id", "n_chars", "n_sentences", "n_spans")
META_PREFIX = "meta_"  # put before a meta key that would clobber a core column
ERRORS = ("raise", "skip")


def resolve_paths(path_or_paths: PathLike | Iterable[PathLike]) -> list[Path]:
    """A path, a glob string or a list of either, as existing files in a stable (sorted per glob) order."""
    items = [path_or_paths] if isinstance(path_or_paths, str | os.PathLike) else list(path_or_paths)
    if not items:
        raise FileNotFoundError("no annotation files given")
    paths: list[Path] = []
    for item in items:
        if isinstance(item, str) and globlib.has_magic(item):
            matches = sorted(globlib.glob(item, recursive=True))
            if not matches:
                raise FileNotFoundError(f"no file matches {item!r}")
            paths.extend(Path(m) for m in matches)
        elif Path(item).is_file():
            paths.append(Path(item))
        else:
            raise FileNotFoundError(f"{item}: no such file (expected .jsonl or .jsonl.gz)")
    return paths


class Article(NamedTuple):
    """One checked line: id, text, sentences, meta, its spans as columns (SPAN_FIELDS -> list) and `kner`."""

    id: str
    text: str
    spans: dict[str, list[Any]]
    sentences: list[tuple[int, int]]
    meta: dict[str, Any]
    kner: dict[str, Any] | None = None


def check_article(obj: Any, default_id: str) -> Article:
    """Check one JSON object against the record contract (the codec's own rules: `records.check_span`,
    `records.check_id`) without building dataclasses.

    A Span dataclass per span costs ~5 µs, most of the time for a million spans; this check costs under 1 µs.
    """
    if not isinstance(obj, dict):
        raise RecordError(f"expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str):
        raise RecordError("record has no 'text' string")
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise RecordError(f"'meta' must be an object, got {type(meta).__name__}")
    spans = obj.get("spans") or []
    if not isinstance(spans, list):
        raise RecordError(f"'spans' must be a list, got {type(spans).__name__}")
    cols: dict[str, list[Any]] = {name: [] for name in SPAN_FIELDS}
    columns = [cols[name] for name in SPAN_FIELDS]
    for d in spans:
        for column, value in zip(columns, check_span(d, text), strict=True):
            column.append(value)
    sentences = obj.get("sentences") or []
    if not isinstance(sentences, list) or not all(
            isinstance(p, list) and len(p) == 2 and type(p[0]) is int and type(p[1]) is int for p in sentences):
        raise RecordError("'sentences' must be a list of [start, end] integer pairs")
    made_by = obj.get("kner")
    return Article(check_id(obj.get("id"), default_id), text, cols, [tuple(p) for p in sentences], meta,
                   made_by if isinstance(made_by, dict) else None)


def iter_articles(path_or_paths: PathLike | Iterable[PathLike], errors: str = "raise") -> Iterator[Article]:
    """Every record of every file; a bad line raises RecordError (file:line: why) or, with errors="skip", warns."""
    if errors not in ERRORS:
        raise ValueError(f"errors must be one of {ERRORS}, got {errors!r}")
    for path in resolve_paths(path_or_paths):
        stem = path.name.split(".")[0]
        for n, value in read_jsonl(str(path)):
            if isinstance(value, InputError):
                if value.warning:
                    warnings.warn(str(value), FormatWarning, stacklevel=3)
                else:
                    _bad(errors, value)
                continue
            try:
                yield check_article(value, default_id=f"{stem}:{n}")
            except RecordError as e:
                _bad(errors, InputError(str(path), n, e.message, e.code))


def _bad(errors: str, where: InputError) -> None:
    """Raise RecordError for a bad line, or warn with a SkipWarning when errors="skip"."""
    if errors == "raise":
        raise RecordError(f"{where.file}:{where.line}: {where.reason} (fix the line, or pass errors='skip' to skip "
                          "bad lines)", where.code)
    warnings.warn(f"{where}; record skipped", SkipWarning, stacklevel=4)


def _flatten(meta: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested meta objects as dotted keys: {"src": {"url": u}} -> {"src.url": u}."""
    flat: dict[str, Any] = {}
    for key, value in meta.items():
        if isinstance(value, dict) and value:
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _meta_frame(metas: list[dict[str, Any]], core: Iterable[str]) -> pd.DataFrame:
    """One row per record from its flattened meta; keys that collide with `core` get META_PREFIX."""
    flat = [_flatten(m) for m in metas]
    keys = list(dict.fromkeys(k for m in flat for k in m))
    core = set(core)
    columns = {(META_PREFIX + k if k in core else k): [m.get(k) for m in flat] for k in keys}
    return pd.DataFrame({name: _typed(values) for name, values in columns.items()}, index=range(len(metas)))


def _typed(values: list[Any]) -> pd.Series:
    """A meta column: int64 when all ints, nullable Int64 when ints with gaps, else pandas' inference."""
    present = [v for v in values if v is not None]
    if present and all(type(v) is int for v in present):
        return pd.Series(values, dtype="int64" if len(present) == len(values) else "Int64")
    if present and not all(isinstance(v, str | int | float | bool) for v in present):
        return pd.Series(values, dtype=object)  # lists and the like stay Python objects
    return pd.Series(values)


def _sentence_texts(article: Article) -> list[str | None]:
    """For each span, the text of the sentence that holds it; None without sentences or across a boundary."""
    starts = [s for s, _ in article.sentences]
    cache: dict[int, str | None] = {-1: None}
    out = []
    for start, end in zip(article.spans["start"], article.spans["end"], strict=True):
        i = bisect_right(starts, start) - 1
        if i not in cache:
            s, e = article.sentences[i]
            cache[i] = article.text[s:e]
        out.append(cache[i] if i < 0 or end <= article.sentences[i][1] else None)
    return out


def load_annotations(path_or_paths: PathLike | Iterable[PathLike], errors: str = "raise") -> pd.DataFrame:
    """One row per span: doc_id, label, text, canonical, region (province), start, end, sentence, source, score,
    rule, then meta columns.

    `path_or_paths` is a .jsonl/.jsonl.gz path, a glob string or a list of them; spans keep file order.
    A malformed line raises RecordError naming file and line; `errors="skip"` warns and skips it instead.
    """
    cols: dict[str, list[Any]] = {name: [] for name in (*SPAN_FIELDS, "sentence")}
    ids, counts, metas = [], [], []
    for article in iter_articles(path_or_paths, errors):
        ids.append(article.id)
        counts.append(len(article.spans["start"]))
        metas.append(article.meta)
        for name in SPAN_FIELDS:
            cols[name].extend(article.spans[name])
        cols["sentence"].extend(_sentence_texts(article))
    owner = np.repeat(np.arange(len(ids)), counts)  # article index of each span
    spans = pd.DataFrame({
        "doc_id": pd.Series(np.array(ids, dtype=object)[owner], dtype="str"),
        "label": pd.Categorical(cols["label"], categories=_label_order(cols["label"])),
        "text": pd.Series(cols["text"], dtype="str"),
        "canonical": pd.Series(cols["canonical"], dtype="str"),
        "region": pd.Series(cols["region"], dtype="category"),
        "start": pd.Series(cols["start"], dtype="int64"),
        "end": pd.Series(cols["end"], dtype="int64"),
        "sentence": pd.Series(cols["sentence"], dtype="str"),
        "source": pd.Series(cols["source"], dtype="category"),
        "score": pd.Series(cols["score"], dtype="float64"),
        "rule": pd.Series(cols["rule"], dtype="category"),
    })
    meta = _meta_frame(metas, SPAN_COLUMNS).take(owner).reset_index(drop=True)
    return pd.concat([spans, meta], axis=1)


def load_documents(path_or_paths: PathLike | Iterable[PathLike], errors: str = "raise") -> pd.DataFrame:
    """One row per article: doc_id, n_chars, n_sentences, n_spans, n_<LABEL> per label, then meta columns.

    Reads the same inputs as `load_annotations`. ORG, LOC and PROGRAM columns are always there;
    other labels found in the files get their own column.
    """
    ids, n_chars, n_sentences, metas = [], [], [], []
    counts: list[Counter] = []
    for article in iter_articles(path_or_paths, errors):
        ids.append(article.id)
        n_chars.append(len(article.text))
        n_sentences.append(len(article.sentences))
        metas.append(article.meta)
        counts.append(Counter(article.spans["label"]))
    labels = _label_order([label for c in counts for label in c])
    docs = pd.DataFrame({
        "doc_id": pd.Series(ids, dtype="str"),
        "n_chars": pd.Series(n_chars, dtype="int64"),
        "n_sentences": pd.Series(n_sentences, dtype="int64"),
        "n_spans": pd.Series([c.total() for c in counts], dtype="int64"),
        **{f"n_{label}": pd.Series([c[label] for c in counts], dtype="int64") for label in labels},
    })
    core = [*DOC_COLUMNS, *(f"n_{label}" for label in labels)]
    return pd.concat([docs, _meta_frame(metas, core)], axis=1)


def _label_order(found: Iterable[str]) -> list[str]:
    """Our labels first in their usual order, then any other label found, sorted."""
    return [*LABELS, *sorted(set(found) - set(LABELS))]
