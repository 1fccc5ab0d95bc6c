"""Batch annotation: stream articles through the pipeline into annotated JSONL, in order, losing nothing."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from . import __version__
from .errors import ANALYSIS, InputError, KnerError, ModelLoadError
from .inputs import DEFAULT_MAX_CHARS, count_articles, read_inputs
from .layers import FINAL, get_layer
from .output import AtomicJsonlWriter, check_output, own_files
from .records import Record, Span
from .tokenize import SPACE_TAG, KiwiToken, nfc_map, tokenizer_rows

NFC_STARTS = "kner_nfc_starts"  # doc.user_data key: where each NFC index of the Doc's text lies in the input
BATCH_SIZE = 32
KEPT_LEXEMES = 50_000  # words a worker's vocab keeps across batches: 20-35 MB with their lemmas (annotate_batch)


def doc_to_record(doc: Doc, source: Record, model: str, tokens: bool = False,
                  starts: list[int] | None = None) -> Record:
    """The output record for one annotated Doc: input text unchanged, final spans, Kiwi sentences.

    Sentences and tokens come from the tokenizer's own rows, not from the Doc's tokens, which kner_ents cuts at
    entity edges. `starts` maps the offsets of a Doc made from the NFC form of `source.text` back to `source.text`.
    """
    rows = tokenizer_rows(doc)
    spans = tuple(get_layer(doc, FINAL))
    sentences = sentence_offsets(rows)
    token_rows = tuple((t.start, t.end, t.tag) for t in rows if t.tag != SPACE_TAG) if tokens else None
    if starts is not None:
        spans = map_spans(spans, source.text, starts)
        sentences = tuple((starts[a], starts[b]) for a, b in sentences if starts[a] < starts[b])
        if token_rows is not None:
            token_rows = tuple((starts[a], starts[b], tag) for a, b, tag in token_rows if starts[a] < starts[b])
    return Record(
        id=source.id,
        text=source.text,
        spans=spans,
        sentences=sentences,
        meta=source.meta,
        tokens=token_rows,
        kner={"version": __version__, "model": model},
    )


def map_spans(spans: Iterable[Span], text: str, starts: list[int] | None) -> tuple[Span, ...]:
    """Spans found in the NFC form of `text` moved back to `text` (`starts`: NFC index -> index in `text`)."""
    if starts is None:
        return tuple(spans)
    return tuple(replace(sp, start=starts[sp.start], end=starts[sp.end], text=text[starts[sp.start]:starts[sp.end]])
                 for sp in spans if starts[sp.start] < starts[sp.end])


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
            mapped = nfc_map(record.text)  # analysed in NFC (Kiwi and the lexicons read composed Hangul)
            pending.append((record, mapped))
            yield record.text if mapped is None else mapped[0]

    for doc in nlp.pipe(texts(), batch_size=batch_size):
        source, mapped = pending.popleft()
        starts = None if mapped is None else mapped[1]
        if starts is not None:
            doc.user_data[NFC_STARTS] = starts  # for callers that read the Doc's layers (evaluate)
        yield doc_to_record(doc, source, model, tokens, starts), doc


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
    """Per-process pipeline for `--jobs N`: loaded once by the pool initializer (or by `run` in this process)."""

    nlp: Language | None = None
    tokens = False
    setup: tuple | None = None
    failed: BaseException | None = None  # why this pool worker could not start
    warnings: list[str] = []  # what loading said (lexicon lines skipped); shown once, by the main process


def _load(model, lexicons, threads: int = 1) -> tuple[Language, list[str]]:
    """The pipeline and the warnings its loading raised (lexicon lines skipped or re-read), as messages."""
    import warnings

    from .nlp import load

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        nlp = load(model, lexicons, threads=threads)
    return nlp, [str(w.message) for w in caught if issubclass(w.category, UserWarning)]


def init_worker(model, lexicons, tokens: bool, threads: int = 1, reuse: bool = False) -> None:
    """Load the pipeline once in this process (a pool worker, a Dask worker, or the main process).

    Kiwi is built here too, not on the first article: every worker pays its load up front and at the same
    time, and a benchmark that subtracts a one-article run subtracts every worker's load (docs/scale.md).
    `threads` is Kiwi's own thread count (1: the processes are the parallelism). With `reuse`, a pipeline this
    process already loaded with the same settings is kept (`run` loads it before reading any input).
    """
    setup = (model, tuple(lexicons), tokens, threads)
    if reuse and _Worker.setup == setup:
        return
    _Worker.nlp, _Worker.warnings = _load(model, lexicons, threads)
    _Worker.nlp.make_doc("가")
    _Worker.tokens = tokens
    _Worker.setup = setup
    _freeze_loaded()


def _freeze_loaded() -> None:
    """Exempt what is loaded now (the pipeline's lexicons and tables, ~150k objects kept for the whole run) from
    the garbage collector's full passes, which would walk them again each time: ~2 % of a run's instructions. A
    pipeline loaded before is unfrozen and collected first, so reloading frees it."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _start_pool_worker(model, lexicons, tokens: bool) -> None:
    """Pool initializer: a failure is kept and raised by the first batch, so the pool does not start worker after
    worker forever (multiprocessing replaces a worker whose initializer raised) and the run ends with the error."""
    try:
        init_worker(model, lexicons, tokens)
    except BaseException as e:  # noqa: BLE001 (reported by annotate_batch)
        _Worker.failed = e


def annotate_batch(batch: list[Record]) -> list[tuple[str | InputError, Counter]]:
    """Worker side: annotate a batch and return JSON lines with their label counts.

    An article the pipeline fails on is returned as an InputError in its place (the batch is run again one
    article at a time to find it), so one bad article never costs the good ones around it.

    Once the vocab has built KEPT_LEXEMES words (`len(vocab)` counts the forgotten ones too), each batch runs in a
    memory zone, which forgets the strings the batch added: without one, every distinct token string stays
    (~400 bytes each) and memory grows with the archive (docs/scale.md). The batches before that keep their words
    (particles, endings and the common nouns of the archive, met early because they are common), so later batches
    do not build their lexemes again: building one runs spaCy's 23 lexical-attribute functions, ~30 µs.
    """
    if _Worker.failed is not None:
        raise ModelLoadError(f"a worker process could not load the pipeline: {_Worker.failed}", "E004")
    nlp = _Worker.nlp
    assert nlp is not None
    try:
        return _annotate(nlp, batch)
    except Exception:  # noqa: BLE001 (each article again, alone, to name the one that fails)
        pass
    out: list[tuple[str | InputError, Counter]] = []
    for record in batch:
        try:
            out += _annotate(nlp, [record])
        except Exception as e:  # noqa: BLE001
            meta = record.meta
            out.append((InputError(str(meta.get("file", record.id)), int(meta.get("line") or 0),
                                   f"the pipeline failed on this article ({type(e).__name__}: {e})", ANALYSIS),
                        Counter()))
    return out


def _annotate(nlp: Language, batch: list[Record]) -> list[tuple[str | InputError, Counter]]:
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
                     jobs: int) -> Iterator[tuple[str | InputError, Counter]]:
    """JSON lines in input order, from this process or from a pool with a bounded window of batches."""
    if jobs <= 1:
        init_worker(model, lexicons, tokens, reuse=True)
        for batch in batches(records, BATCH_SIZE):
            yield from annotate_batch(batch)
        return
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(jobs, initializer=_start_pool_worker, initargs=(model, lexicons, tokens)) as pool:
        window: deque = deque()
        for batch in batches(records, BATCH_SIZE):
            window.append(pool.apply_async(annotate_batch, (batch,)))
            if len(window) >= 2 * jobs:
                yield from window.popleft().get()
        while window:
            yield from window.popleft().get()


def record_key(record: dict[str, Any] | Record) -> bytes:
    """What names a finished article on resume: its id and text (so the input's path may be spelled any way)."""
    rid, text = (record.id, record.text) if isinstance(record, Record) else (record.get("id"), record.get("text"))
    return hashlib.blake2b(f"{rid}\0{text}".encode("utf-8", "surrogatepass"), digest_size=16).digest()


class Progress:
    """What a run shows on stderr: errors and warnings (above the bar on a terminal), the model-load status and a
    bar that counts every input (annotated, kept from the interrupted run, or skipped) and ends at 100 %."""

    def __init__(self, err, bar: bool):
        self.err = err
        self.bar = None
        self.show_bar = bar

    def status(self, message: str) -> None:
        if self.show_bar:
            print(message, file=self.err, flush=True)

    def start(self, total: Callable[[], int | None]) -> None:
        """Start the bar (after the model is loaded, so its clock and ETA time annotation only)."""
        if self.show_bar:
            from tqdm import tqdm

            self.bar = tqdm(total=total(), unit=" articles", desc="annotating", file=self.err, smoothing=0,
                            dynamic_ncols=True)

    def message(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text, file=self.err)
        else:
            print(text, file=self.err)

    def advance(self, timed: bool = True, chars: float | None = None) -> None:
        """One more input done; `timed=False` for one that took no work (kept, skipped), left out of the rate."""
        if self.bar is None:
            return
        if not timed:
            self.bar.initial += 1
        self.bar.update()
        if chars is not None:
            self.bar.set_postfix_str(f"{chars:,.0f} chars/s", refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.total = self.bar.n  # blank JSONL lines were counted in the estimate
            self.bar.refresh()
            self.bar.close()


def _describe(model) -> str:
    from .nlp import DEFAULT_MODEL, default_model

    name = default_model() if model == "default" else str(model)
    return "rules only" if name == "rules" else (name if name != DEFAULT_MODEL else f"{name} (default)")


def run(paths: Sequence[str], out: str, *, model: Any = "default", lexicons: Sequence[str] = (),
        jobs: int = 1, tokens: bool = False, resume: bool = False, quiet: bool = False,
        glob: str = "*.txt", max_chars: int = DEFAULT_MAX_CHARS, err=None, annotator=None,
        force: bool = True) -> Summary:
    """Annotate every article under `paths` into `out` (JSONL, .gz compressed), reporting bad inputs on `err`.

    The output is checked and locked and the pipeline loaded (in this process, also with --jobs N) before any
    article is read, so a mistake there ends the run at once. `annotator` replaces this machine's processes as the
    engine (kner.distributed passes its Dask one).
    """
    local = annotator is None
    annotator = annotator or _annotated_lines
    err = err or sys.stderr
    summary = Summary()
    start = time.perf_counter()
    check_output(out, force=force, resume=resume, inputs=paths)
    progress = Progress(err, not quiet and err.isatty())
    with AtomicJsonlWriter(out, resume=resume, key=record_key) as writer:
        summary.resumed = writer.kept
        progress.status(f"loading model {_describe(model)} …")
        for message in _check_pipeline(model, lexicons, tokens, in_process=local and jobs <= 1):
            progress.message(f"warning: {message}")
        progress.start(lambda: count_articles(paths, glob))
        work_start = time.perf_counter()
        seen_ids: set[str] = set()
        done = writer.done

        def good_records() -> Iterator[Record]:
            for item in read_inputs(paths, glob, max_chars, skip=own_files(out)):
                if isinstance(item, InputError):
                    progress.message(f"{'warning' if item.warning else 'error'}: {item}")
                    if not item.warning:
                        summary.errors.append(item)
                        progress.advance(timed=False)
                    continue
                if item.id in seen_ids:
                    summary.duplicates += 1
                    progress.message(f"warning: {item.meta['file']}:{item.meta['line']}: duplicate id {item.id!r}; "
                                     "the record is kept")
                seen_ids.add(item.id)
                if done:
                    key = record_key(item)
                    if done[key] > 0:
                        done[key] -= 1
                        progress.advance(timed=False)
                        continue
                summary.chars += len(item.text)
                yield item

        for line, labels in annotator(good_records(), model, list(lexicons), tokens, jobs):
            if isinstance(line, InputError):
                summary.errors.append(line)
                progress.message(f"error: {line}")
                progress.advance()
                continue
            writer.write(line)
            summary.articles += 1
            summary.labels.update(labels)
            if progress.bar is not None:
                progress.advance(chars=summary.chars / max(time.perf_counter() - work_start, 1e-9))
    progress.close()
    summary.seconds = time.perf_counter() - start
    return summary


def _check_pipeline(model, lexicons: Sequence[str], tokens: bool, in_process: bool) -> list[str]:
    """Load the pipeline here before any worker starts: in this process it is the one used (--jobs 1); for
    worker processes it is only checked, so a missing model or a bad lexicon ends the run at once. Returns the
    warnings of loading it."""
    if in_process:
        init_worker(model, list(lexicons), tokens)
        return _Worker.warnings
    return _load(model, list(lexicons))[1]


__all__ = ["KnerError", "Summary", "annotate_records", "doc_to_record", "init_worker", "record_key", "run"]
