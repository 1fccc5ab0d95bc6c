"""Batch annotation: stream articles through the pipeline into annotated JSONL, in order, losing nothing."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from . import __version__
from .inputs import DEFAULT_MAX_CHARS, InputError, count_articles, read_inputs
from .layers import FINAL, get_layer
from .output import AtomicJsonlWriter
from .records import Record
from .tokenize import SPACE_TAG, KiwiToken, tokenizer_rows

BATCH_SIZE = 32
KEPT_LEXEMES = 50_000  # words a worker's vocab keeps across batches: 20-35 MB with their lemmas (annotate_batch)


def doc_to_record(doc: Doc, source: Record, model: str, tokens: bool = False) -> Record:
    """The output record for one annotated Doc: input text unchanged, final spans, Kiwi sentences.

    Sentences and tokens come from the tokenizer's own rows, not from the Doc's tokens, which kner_ents cuts at
    entity edges.
    """
    rows = tokenizer_rows(doc)
    return Record(
        id=source.id,
        text=source.text,
        spans=tuple(get_layer(doc, FINAL)),
        sentences=sentence_offsets(rows),
        meta=source.meta,
        tokens=tuple((t.start, t.end, t.tag) for t in rows if t.tag != SPACE_TAG) if tokens else None,
        kner={"version": __version__, "model": model},
    )


def sentence_offsets(rows: list[KiwiToken]) -> tuple[tuple[int, int], ...]:
    """Kiwi's sentences as [start, end) character ranges, whitespace trimmed, from a Doc's `doc_tokens`."""
    out, start, end = [], None, None
    for t in rows:
        if t.sent_start and start is not None:
            out.append((start, end))
            start = None
        if t.tag != SPACE_TAG:
            start = t.start if start is None else start
            end = t.end
    if start is not None:
        out.append((start, end))
    return tuple(out)


def annotate_records(nlp: Language, records: Iterable[Record], tokens: bool = False,
                     batch_size: int = BATCH_SIZE) -> Iterator[tuple[Record, Doc]]:
    """Annotate records in order, yielding each output record with its Doc (layers stay inspectable)."""
    from .nlp import model_name

    model = model_name(nlp)
    pending: deque[Record] = deque()

    def texts() -> Iterator[str]:
        for record in records:
            pending.append(record)
            yield record.text

    for doc in nlp.pipe(texts(), batch_size=batch_size):
        source = pending.popleft()
        yield doc_to_record(doc, source, model, tokens), doc


@dataclass
class Summary:
    """What a batch run did: counts for the closing report and the exit code."""

    articles: int = 0
    resumed: int = 0
    chars: int = 0
    labels: Counter = field(default_factory=Counter)
    errors: list[InputError] = field(default_factory=list)
    duplicates: int = 0
    seconds: float = 0.0

    def report(self) -> str:
        """One paragraph for stderr at the end of a run."""
        labels = ", ".join(f"{k} {v:,}" for k, v in sorted(self.labels.items())) or "none"
        rate = self.chars / self.seconds if self.seconds else 0.0
        lines = [f"{self.articles:,} articles annotated ({self.chars:,} chars, {rate:,.0f} chars/s) "
                 f"in {self.seconds:.1f} s; spans: {labels}"]
        if self.resumed:
            lines.append(f"{self.resumed:,} articles kept from the interrupted run")
        if self.duplicates:
            lines.append(f"{self.duplicates:,} records reuse an earlier id (kept; see the warnings above)")
        if self.errors:
            lines.append(f"{len(self.errors):,} inputs skipped (see the errors above)")
        return "\n".join(lines)


class _Worker:
    """Per-process pipeline for `--jobs N`: loaded once by the pool initializer."""

    nlp: Language | None = None
    tokens = False


def init_worker(model, lexicons, tokens: bool) -> None:
    """Load the pipeline once in this process (a pool worker, a Dask worker, or the main process).

    Kiwi is built here too, not on the first article: every worker pays its load up front and at the same
    time, and a benchmark that subtracts a one-article run subtracts every worker's load (docs/scale.md).
    """
    from .nlp import load

    os.environ.setdefault("KNER_KIWI_THREADS", "1")
    _Worker.nlp = load(model, lexicons)
    _Worker.nlp.make_doc("가")
    _Worker.tokens = tokens


def annotate_batch(batch: list[Record]) -> list[tuple[str, Counter]]:
    """Worker side: annotate a batch and return JSON lines with their label counts.

    Once the vocab has built KEPT_LEXEMES words (`len(vocab)` counts the forgotten ones too), each batch runs in a
    memory zone, which forgets the strings the batch added: without one, every distinct token string stays
    (~400 bytes each) and memory grows with the archive (docs/scale.md). The batches before that keep their words
    (particles, endings and the common nouns of the archive, met early because they are common), so later batches
    do not build their lexemes again: building one runs spaCy's 23 lexical-attribute functions, ~30 µs.
    """
    nlp = _Worker.nlp
    assert nlp is not None
    with nlp.memory_zone() if len(nlp.vocab) >= KEPT_LEXEMES else contextlib.nullcontext():
        return [(r.to_json(), Counter(s.label for s in r.spans))
                for r, _ in annotate_records(nlp, batch, _Worker.tokens)]


def batches(items: Iterable[Record], size: int) -> Iterator[list[Record]]:
    """Group a stream into lists of `size` without reading ahead."""
    batch: list[Record] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _annotated_lines(records: Iterable[Record], model, lexicons, tokens: bool,
                     jobs: int) -> Iterator[tuple[str, Counter]]:
    """JSON lines in input order, from this process or from a pool with a bounded window of batches."""
    if jobs <= 1:
        init_worker(model, lexicons, tokens)
        for batch in batches(records, BATCH_SIZE):
            yield from annotate_batch(batch)
        return
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(jobs, initializer=init_worker, initargs=(model, lexicons, tokens)) as pool:
        window: deque = deque()
        for batch in batches(records, BATCH_SIZE):
            window.append(pool.apply_async(annotate_batch, (batch,)))
            if len(window) >= 2 * jobs:
                yield from window.popleft().get()
        while window:
            yield from window.popleft().get()


def run(paths: Sequence[str], out: str, *, model: Any = "default", lexicons: Sequence[str] = (),
        jobs: int = 1, tokens: bool = False, resume: bool = False, quiet: bool = False,
        glob: str = "*.txt", max_chars: int = DEFAULT_MAX_CHARS, err=None, annotator=None) -> Summary:
    """Annotate every article under `paths` into `out` (JSONL, .gz compressed), reporting bad inputs on `err`.

    `annotator` replaces this machine's processes as the engine (kner.distributed passes its Dask one).
    """
    annotator = annotator or _annotated_lines
    err = err or sys.stderr
    summary = Summary()
    start = time.perf_counter()
    progress = _progress(paths, glob, quiet or not err.isatty())
    with AtomicJsonlWriter(out, resume=resume) as writer:
        summary.resumed = writer.kept

        seen_ids: set[str] = set()

        def good_records() -> Iterator[Record]:
            for item in read_inputs(paths, glob, max_chars):
                if isinstance(item, InputError):
                    summary.errors.append(item)
                    print(f"error: {item}", file=err)
                    continue
                if item.id in seen_ids:
                    summary.duplicates += 1
                    print(f"warning: {item.meta['file']}:{item.meta['line']}: duplicate id {item.id!r}; "
                          "the record is kept", file=err)
                seen_ids.add(item.id)
                if (str(item.meta.get("file")), int(item.meta.get("line") or 0)) not in writer.done:
                    summary.chars += len(item.text)
                    yield item

        for line, labels in annotator(good_records(), model, list(lexicons), tokens, jobs):
            writer.write(line)
            summary.articles += 1
            summary.labels.update(labels)
            if progress is not None:
                progress.update()
                elapsed = time.perf_counter() - start
                progress.set_postfix_str(f"{summary.chars / elapsed:,.0f} chars/s", refresh=False)
    if progress is not None:
        progress.close()
    summary.seconds = time.perf_counter() - start
    return summary


def _progress(paths: Sequence[str], glob: str, quiet: bool):
    """A tqdm bar over articles with chars/s and ETA, or None when quiet or not on a terminal."""
    if quiet:
        return None
    from tqdm import tqdm

    return tqdm(total=count_articles(paths, glob), unit=" articles", desc="annotating", file=sys.stderr)
