"""Read and write annotation-tool formats, so records can be corrected elsewhere and come back unchanged."""

from __future__ import annotations

import json
import os
import warnings
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

from .inputs import InputError, parse_jsonl
from .output import AtomicJsonlWriter
from .records import Record, RecordError, Span

FORMATS = ("kner", "prodigy", "doccano", "labelstudio", "conll", "docbin")
CONLL_SUFFIXES = (".conll", ".bio", ".iob", ".iob2", ".bioes")
SPAN_EXTRAS = ("source", "score", "canonical", "rule")  # span keys beyond start/end/label/text


class FormatError(ValueError):
    """A file that cannot be read or written as the format asked for; the message says why."""


class FormatWarning(UserWarning):
    """Something skipped or dropped during a conversion; the message says what and where."""


class SkipWarning(FormatWarning):
    """A record that breaks its format and was skipped (file, line or task, why)."""


def warn(message: str, category: type[FormatWarning] = FormatWarning) -> None:
    """Report a skipped record or a dropped field (never lose data silently)."""
    warnings.warn(message, category, stacklevel=2)


# ---------------------------------------------------------------- detection

def detect_format(path: str | os.PathLike) -> str:
    """Name the format of `path` from its suffix, or from its first record for JSON files."""
    path = Path(path)
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes[-1:] == [".spacy"]:
        return "docbin"
    if suffixes and suffixes[-1] in CONLL_SUFFIXES:
        return "conll"
    with open(path, encoding="utf-8-sig") as f:
        first = next((line for line in f if line.strip()), "").strip()
    if not first:
        return "kner"  # an empty file: no records in any format
    if first.startswith("["):
        return "labelstudio"
    try:
        obj = json.loads(first)
    except json.JSONDecodeError:
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
            text_key: str = "text", as_annotations: bool = False) -> tuple[int, list[Warning]]:
    """Read `src` and write it to `dst` in `dst_fmt`: (records written, every warning raised on the way).

    `text_key` names the text field of Label Studio tasks read; `as_annotations` writes Label Studio spans
    as a submitted annotation instead of predictions.
    """
    src_fmt = detect_format(src) if src_fmt == "auto" else src_fmt
    if src_fmt not in READERS:
        raise FormatError(f"unknown format {src_fmt!r}; choose one of {', '.join(FORMATS)}")
    if text_key != "text" and src_fmt != "labelstudio":
        raise FormatError(f"a text key applies to Label Studio input only, and {src} is {src_fmt}")
    if as_annotations and dst_fmt != "labelstudio":
        raise FormatError(f"annotations instead of predictions apply to Label Studio output only, not {dst_fmt}")
    read_options = {"text_key": text_key} if src_fmt == "labelstudio" else {}
    write_options = {"as_annotations": as_annotations} if dst_fmt == "labelstudio" else {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", FormatWarning)
        n = write_records(read_records(src, src_fmt, **read_options), dst, dst_fmt, **write_options)
    return n, [w.message for w in caught]


# ---------------------------------------------------------------- shared helpers

def span_dict(span: Span) -> dict[str, Any]:
    """A span in the gold format: start, end, label, text, and the extras that are set."""
    d: dict[str, Any] = {"start": span.start, "end": span.end, "label": span.label, "text": span.text}
    if span.source:
        d["source"] = span.source
    for key in ("score", "canonical", "rule"):
        if getattr(span, key) is not None:
            d[key] = getattr(span, key)
    return d


def gold_dict(record: Record) -> dict[str, Any]:
    """A record in the gold format of ANNOTATION.md, plus the pipeline's blocks when present."""
    d: dict[str, Any] = {"id": record.id, "text": record.text, "spans": [span_dict(s) for s in record.spans],
                         "meta": record.meta}
    if record.sentences:
        d["sentences"] = [list(s) for s in record.sentences]
    if record.kner is not None:
        d["kner"] = record.kner
    if record.tokens is not None:
        d["tokens"] = [{"start": s, "end": e, "tag": t} for s, e, t in record.tokens]
    return d


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
    with open(path, "rb") as f:
        for n, obj in parse_jsonl(f, path):
            if isinstance(obj, InputError):
                warn(f"{obj}; skipped", SkipWarning)
            else:
                yield n, obj


def _parse_all(path: str, items: Iterable[tuple[int, Any]],
               parse: Callable[[Any, str], Record | None], unit: str = "line") -> Iterator[Record]:
    """Parse each item, reporting (file, line, why) and skipping the ones that break the format."""
    stem = Path(path).name.split(".")[0]
    for n, obj in items:
        try:
            if not isinstance(obj, dict):
                raise RecordError(f"expected a JSON object, got {type(obj).__name__}")
            record = parse(obj, f"{stem}:{n}")
        except (RecordError, KeyError, TypeError, ValueError) as e:
            where = f"{path}:{n}" if unit == "line" else f"{path} {unit} {n}"
            reason = f"missing field {e}" if isinstance(e, KeyError) else str(e)
            warn(f"{where}: {reason}; record skipped", SkipWarning)
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


# ---------------------------------------------------------------- kner (our JSONL, the gold format)

def read_kner(path: str) -> Iterator[Record]:
    """Our JSONL: output of `kner annotate` or a gold file."""
    return _parse_all(path, _read_jsonl(path), lambda d, default: Record.from_dict(d, default_id=default))


def write_kner(records: Iterable[Record], path: str) -> int:
    """Our JSONL in the gold format; nothing is lost."""
    return _write_jsonl(path, (gold_dict(r) for r in records))


# ---------------------------------------------------------------- Prodigy JSONL

PRODIGY_CARRIED = ("sentences", "kner")  # our record blocks kept as extra top-level task keys


def read_prodigy(path: str) -> Iterator[Record]:
    """Prodigy tasks (db-out); only accepted answers are gold, the others are counted and reported."""
    rejected: Counter = Counter()

    def parse(d: dict[str, Any], default_id: str) -> Record | None:
        answer = d.get("answer", "accept")
        if answer != "accept":
            rejected[str(answer)] += 1
            return None
        meta = d.get("meta") or {}
        rid = d.get("id")
        extra = {k: d[k] for k in PRODIGY_CARRIED if k in d}
        return _record(rid, d.get("text"), d.get("spans") or [], meta, default_id, extra)

    yield from _parse_all(path, _read_jsonl(path), parse)
    if rejected:
        counts = ", ".join(f"{n:,} {a!r}" for a, n in sorted(rejected.items()))
        warn(f"{path}: skipped tasks not answered 'accept' ({counts}); they are not gold")


def prodigy_dict(record: Record, doc) -> dict[str, Any]:
    """A Prodigy task: our id, text, meta; tokens cut at span edges; spans with extras and token indices."""
    spans = []
    for s in record.spans:
        d = span_dict(s)
        sp = token_span(doc, s)
        if sp is not None:
            d["token_start"], d["token_end"] = sp.start, sp.end - 1  # Prodigy's token_end is inclusive
        spans.append(d)
    tokens = [{"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i, "ws": bool(t.whitespace_)}
              for t in doc]
    task: dict[str, Any] = {"id": record.id, "text": record.text, "meta": record.meta, "tokens": tokens,
                            "spans": spans}
    if record.sentences:
        task["sentences"] = [list(x) for x in record.sentences]
    if record.kner is not None:
        task["kner"] = record.kner
    return task


def write_prodigy(records: Iterable[Record], path: str) -> int:
    """Prodigy JSONL with Kiwi tokens (cut at span edges) for ner.manual; only our own `tokens` field is dropped."""
    from spacy.vocab import Vocab

    vocab = Vocab()
    losses = Losses("prodigy")

    def tasks() -> Iterator[dict[str, Any]]:
        for r in records:
            losses.record_fields(r, ("tokens",))
            doc, _ = aligned_doc(vocab, r)
            losses.add("token indices of " + EDGE_LOSS, r.id, sum(token_span(doc, s) is None for s in r.spans))
            yield prodigy_dict(r, doc)

    n = _write_jsonl(path, tasks())
    losses.report()
    return n


# ---------------------------------------------------------------- doccano JSONL

DOCCANO_ID = "kner_id"  # doccano puts its own database id in "id"; ours travels as an extra column


def read_doccano(path: str) -> Iterator[Record]:
    """doccano sequence-labelling JSONL: `label: [[start, end, label], ...]` or `entities` with *_offset keys."""

    def parse(d: dict[str, Any], default_id: str) -> Record:
        if "label" in d:
            spans = []
            for item in d["label"]:
                if not (isinstance(item, list) and len(item) == 3):
                    raise RecordError(f"doccano label must be [start, end, label], got {item!r}")
                spans.append({"start": item[0], "end": item[1], "label": item[2]})
        else:
            spans = [{"start": e["start_offset"], "end": e["end_offset"], "label": e["label"]}
                     for e in d.get("entities") or []]
        text = d["text"] if "text" in d else d.get("data")
        rid = d.get(DOCCANO_ID, d.get("id"))
        extra = {"kner": d["kner"]} if "kner" in d else {}
        return _record(rid, text, spans, d.get("meta") or {}, default_id, extra)

    return _parse_all(path, _read_jsonl(path), parse)


def write_doccano(records: Iterable[Record], path: str) -> int:
    """doccano JSONL (`label` triples in code points); span extras cannot be held and are reported."""
    losses = Losses("doccano")

    def rows() -> Iterator[dict[str, Any]]:
        for r in records:
            losses.record_fields(r, ("sentences", "tokens", *SPAN_EXTRAS))
            row: dict[str, Any] = {DOCCANO_ID: r.id, "text": r.text,
                                   "label": [[s.start, s.end, s.label] for s in r.spans], "meta": r.meta}
            if r.kner is not None:
                row["kner"] = r.kner
            yield row

    n = _write_jsonl(path, rows())
    losses.report()
    return n


# ---------------------------------------------------------------- tokens that respect span edges

def cut_tokens(text: str, spans: Iterable[Span], kiwi=None) -> tuple[list, int]:
    """Kiwi tokens of `text` cut at every span edge and at whitespace inside a token, and how many spans needed a cut.

    Kiwi reads 삼성전자 as one token; a span 삼성 then gets its own token 삼성 and 전자 another, so every span
    edge is a token edge. A cut part keeps the full tag of the token it came from.
    """
    from .tokenize import SPACE_TAG, TokenTable, analyse

    spans = list(spans)
    edges = sorted({e for s in spans for e in (s.start, s.end)})
    table, inner, sent = TokenTable(text), set(), 0
    for t in analyse(text, kiwi):
        sent += t.sent_start
        inside = set(edges[bisect_right(edges, t.start):bisect_left(edges, t.end)])
        if t.morphs:
            inner |= inside
        cuts = sorted({t.start, t.end} | inside
                      | {i for i in range(t.start + 1, t.end) if text[i - 1].isspace() != text[i].isspace()})
        if len(cuts) == 2:
            table.piece(t.start, t.end, t.tag, t.lemma, sent, t.morphs)
        else:
            for a, b in pairwise(cuts):
                part = text[a:b]
                space = part.isspace()
                table.piece(a, b, SPACE_TAG if space else t.tag, part, sent, () if space else ((part, t.tag),))
        if t.space:  # a cut part may now be the one the space follows
            table.piece(t.end, t.end + 1, SPACE_TAG, " ", sent, ())
    return table.tokens(), sum(s.start in inner or s.end in inner for s in spans)


def aligned_doc(vocab, record: Record, kiwi=None):
    """A spaCy Doc of the record's text with every span edge on a token edge, and how many spans cut a Kiwi token."""
    from .tokenize import tokens_to_doc

    tokens, inner = cut_tokens(record.text, record.spans, kiwi)
    doc = tokens_to_doc(vocab, record.text, tokens)
    doc.user_data.clear()  # drop per-token Kiwi extensions: exported files carry only the record's data
    return doc, inner


def token_span(doc, span: Span):
    """The spaCy span covering `span` exactly, or None if an edge is inside a token or on whitespace."""
    sp = doc.char_span(span.start, span.end, label=span.label)
    if sp is None or sp[0].text.isspace() or sp[-1].text.isspace():
        return None
    return sp


EDGE_LOSS = "spans starting or ending on whitespace"
OVERLAP_LOSS = "overlapping spans (BIO holds one label per token)"


# ---------------------------------------------------------------- Label Studio JSON

LS_FROM, LS_TO = "label", "text"  # names of the <Labels> and <Text> tags in LABEL_CONFIG
LS_CARRIED = ("sentences", "kner")  # our record blocks kept in the task's data
LABEL_CONFIG = """<View>
  <Labels name="label" toName="text">
    <Label value="ORG" background="#7aa6ff"/>
    <Label value="LOC" background="#6fcf97"/>
    <Label value="PROGRAM" background="#f2c94c"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>"""


def utf16_offsets(text: str) -> list[int]:
    """UTF-16 offset of every code-point index of `text` (len + 1 entries): Label Studio counts UTF-16 units."""
    out = [0]
    for ch in text:
        out.append(out[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return out


def labelstudio_task(record: Record, as_annotations: bool = False) -> dict[str, Any]:
    """A Label Studio NER task: spans as predictions (model_version, scores) or as a submitted annotation."""
    u16 = utf16_offsets(record.text)
    result = []
    for i, s in enumerate(record.spans):
        item: dict[str, Any] = {"id": f"kner{i}", "from_name": LS_FROM, "to_name": LS_TO, "type": "labels",
                                "value": {"start": u16[s.start], "end": u16[s.end], "text": s.text,
                                          "labels": [s.label]}}
        if s.score is not None:
            item["score"] = s.score
        extras = {k: getattr(s, k) for k in ("source", "canonical", "rule") if getattr(s, k)}
        if extras:
            item["kner"] = extras
        result.append(item)
    data: dict[str, Any] = {"text": record.text, "id": record.id, "meta": record.meta}
    if record.sentences:
        data["sentences"] = [list(x) for x in record.sentences]
    if record.kner is not None:
        data["kner"] = record.kner
    if as_annotations:
        return {"data": data, "annotations": [{"result": result}]}
    kner = record.kner or {}
    prediction: dict[str, Any] = {"model_version": " ".join(
        str(x) for x in ("kner", kner.get("version"), kner.get("model")) if x), "result": result}
    scores = [s.score for s in record.spans if s.score is not None]
    if scores:
        prediction["score"] = min(scores)  # the least sure span: sort tasks by it to review weak ones first
    return {"data": data, "predictions": [prediction]}


def write_labelstudio(records: Iterable[Record], path: str, as_annotations: bool = False) -> int:
    """A Label Studio JSON array of tasks, one per line; import it with LABEL_CONFIG as the labelling config."""
    losses = Losses("labelstudio")
    n, previous = 0, None
    with AtomicJsonlWriter(path) as writer:
        writer.write("[")
        for r in records:
            losses.record_fields(r, ("tokens",))
            if previous is not None:
                writer.write(previous + ",")
            previous = json.dumps(labelstudio_task(r, as_annotations), ensure_ascii=False)
            n += 1
        if previous is not None:
            writer.write(previous)
        writer.write("]")
    losses.report()
    return n


def read_labelstudio(path: str, text_key: str = "text") -> Iterator[Record]:
    """Label Studio JSON export: each task's latest submitted annotation, else its latest prediction (reported)."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            tasks = json.load(f)
    except json.JSONDecodeError as e:
        raise FormatError(f"{path}: not valid JSON ({e.msg} at line {e.lineno}, column {e.colno})") from None
    if not isinstance(tasks, list):
        raise FormatError(f"{path}: a Label Studio export is a JSON array of tasks, got {type(tasks).__name__}")
    stats: dict[str, list[str]] = {"predictions": [], "several": [], "unannotated": [], "code points": [],
                                   "ignored": []}

    def parse(task: dict[str, Any], default_id: str) -> Record | None:
        data = task.get("data")
        if not isinstance(data, dict) or not isinstance(data.get(text_key), str):
            raise RecordError(f"task has no text in data[{text_key!r}] (name the key with --text-key)")
        text = data[text_key]
        rid = data.get("id", task.get("id"))
        where = str(rid if rid is not None else default_id)
        annotations = sorted((a for a in task.get("annotations") or [] if not a.get("was_cancelled")),
                             key=lambda a: a.get("updated_at") or a.get("created_at") or "")
        if annotations:
            chosen = annotations[-1]
            if len(annotations) > 1:
                stats["several"].append(where)
        elif task.get("predictions"):
            chosen = task["predictions"][-1]
            stats["predictions"].append(where)
        else:
            stats["unannotated"].append(where)
            return None
        spans, back = [], {u: i for i, u in enumerate(utf16_offsets(text))}
        for item in chosen.get("result") or []:
            value = item.get("value") or {}
            if "labels" not in value or "start" not in value:
                stats["ignored"].append(str(item.get("type")))
                continue
            spans.extend(_labelstudio_spans(item, text, back, stats["code points"], where))
        ours = (text_key, "id", "meta", *LS_CARRIED)
        meta = {k: v for k, v in data.items() if k not in ours}  # the user's own data columns
        meta.update(data.get("meta") or {})
        extra = {k: data[k] for k in LS_CARRIED if k in data}
        return _record(rid, text, spans, meta, default_id, extra)

    yield from _parse_all(path, enumerate(tasks, 1), parse, unit="task")
    _report_labelstudio(path, stats)


def _labelstudio_spans(item: dict[str, Any], text: str, back: dict[int, int], code_points: list[str],
                       where: str) -> list[dict]:
    """Our spans from one labels region: UTF-16 offsets mapped back (`back`) to code points, text checked."""
    value = item["value"]
    start, end = value["start"], value["end"]
    if start in back and end in back and (value.get("text") in (None, text[back[start]:back[end]])):
        start, end = back[start], back[end]
    elif isinstance(start, int) and isinstance(end, int) and value.get("text") == text[start:end]:
        code_points.append(where)  # written by a tool that counts code points; the region text proves it
    else:
        raise RecordError(f"region {item.get('id')!r} at UTF-16 [{start}, {end}) does not match its text "
                          f"{value.get('text')!r} (or falls inside an emoji)")
    extras = {k: v for k, v in (item.get("kner") or {}).items() if k in ("source", "canonical", "rule")}
    return [{"start": start, "end": end, "label": label, "score": item.get("score"), **extras}
            for label in value["labels"]]


LABELSTUDIO_NOTES = {  # what import says about the tasks in each group of its statistics
    "predictions": "{n} tasks had no submitted annotation, so their latest prediction was read instead "
                   "(not corrected by anyone)",
    "unannotated": "skipped {n} tasks with neither a submitted annotation nor a prediction (not annotated yet)",
    "several": "{n} tasks had several annotations; the latest updated one was read",
    "code points": "{n} regions had code-point offsets instead of UTF-16 ones (their text matched); "
                   "read as code points in tasks",
}


def _report_labelstudio(path: str, stats: dict[str, list[str]]) -> None:
    """Say which tasks were read from predictions, had several annotations, or other surprises."""
    def ids(xs: list[str]) -> str:
        return ", ".join(xs[:10]) + (f" and {len(xs) - 10} more" if len(xs) > 10 else "")

    for key, message in LABELSTUDIO_NOTES.items():
        if stats[key]:
            warn(f"{path}: {message.format(n=len(stats[key]))}: {ids(stats[key])}")
    if stats["ignored"]:
        kinds = ", ".join(f"{k} ({n})" for k, n in Counter(stats["ignored"]).items())
        warn(f"{path}: ignored results that are not text labels: {kinds}")


# ---------------------------------------------------------------- CoNLL / BIO over Kiwi tokens

def conll_lines(record: Record, doc, losses: Losses) -> Iterator[str]:
    """One document: JSON-valued comments (id, exact text, meta), then `token<TAB>tag`, sentences blank-separated."""
    tags = ["O"] * len(doc)
    for s in record.spans:
        sp = token_span(doc, s)
        if sp is None:
            losses.add(EDGE_LOSS, record.id)
        elif any(tags[i] != "O" for i in range(sp.start, sp.end)):
            losses.add(OVERLAP_LOSS, record.id)
        else:
            tags[sp.start:sp.end] = [f"B-{s.label}"] + [f"I-{s.label}"] * (len(sp) - 1)
    yield f"# id = {json.dumps(record.id, ensure_ascii=False)}"
    yield f"# text = {json.dumps(record.text, ensure_ascii=False)}"
    if record.meta:
        yield f"# meta = {json.dumps(record.meta, ensure_ascii=False)}"
    written = False
    for t in doc:
        if t.text.isspace():
            continue
        if written and t.is_sent_start and not tags[t.i].startswith("I-"):
            yield ""  # a Kiwi sentence break, never inside an entity
        yield f"{t.text}\t{tags[t.i]}"
        written = True
    yield ""


def write_conll(records: Iterable[Record], path: str) -> int:
    """CoNLL BIO (IOB2) over Kiwi tokens cut at span edges, with the exact text kept in a `# text` comment."""
    from spacy.vocab import Vocab

    vocab = Vocab()
    losses = Losses("conll")
    n = 0
    with AtomicJsonlWriter(path) as writer:
        for r in records:
            losses.record_fields(r, ("sentences", "tokens", "kner", *SPAN_EXTRAS))
            for line in conll_lines(r, aligned_doc(vocab, r)[0], losses):
                writer.write(line)
            n += 1
    losses.report()
    return n


def _conll_comment(line: str) -> tuple[str, Any] | None:
    """(key, value) of a `# key = value` line (value JSON-decoded when it is JSON), else None."""
    if not line.startswith("# ") or " = " not in line or "\t" in line:
        return None
    key, raw = line[2:].split(" = ", 1)
    try:
        return key.strip(), json.loads(raw)
    except json.JSONDecodeError:
        return key.strip(), raw


def _conll_docs(path: str) -> list[dict[str, Any]]:
    """Group a CoNLL file into documents (started by `# id` or -DOCSTART-; else one per sentence)."""
    docs: list[dict[str, Any]] = []
    marked = False
    with open(path, encoding="utf-8-sig") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\r\n")
            comment = _conll_comment(line)
            docstart = line.split()[:1] == ["-DOCSTART-"] and not (docs and "text" in docs[-1]["comments"])
            if docstart or (comment and comment[0] == "id"):
                marked = True
                docs.append({"line": n, "comments": dict([comment]) if comment else {}, "sents": [[]]})
            elif comment:
                if docs:
                    docs[-1]["comments"][comment[0]] = comment[1]
            elif not line.strip():
                if docs and docs[-1]["sents"][-1]:
                    docs[-1]["sents"].append([])
            else:
                if not docs:
                    docs.append({"line": n, "comments": {}, "sents": [[]]})
                docs[-1]["sents"][-1].append((n, line))
    if not marked:  # plain seqeval-style file: each sentence is a record
        docs = [{"line": sent[0][0], "comments": {}, "sents": [sent]} for d in docs for sent in d["sents"] if sent]
    return docs


def _conll_record(doc: dict[str, Any], default_id: str) -> Record:
    """Rebuild one record: tokens found in the `# text` comment (or joined by spaces), BIO tags decoded."""
    text = doc["comments"].get("text")
    exact = isinstance(text, str)
    built: list[str] = []  # the text rebuilt from tokens when there is no `# text`
    tokens = []  # (line, start, end, tag, sentence)
    pos = 0
    for k, sent in enumerate(s for s in doc["sents"] if s):
        for j, (n, line) in enumerate(sent):
            cols = line.split("\t") if "\t" in line else line.split()
            if len(cols) < 2:
                raise RecordError(f"line {n}: expected `token<TAB>tag`, got {line!r}")
            token, tag = cols[0], cols[-1]
            if exact:
                while pos < len(text) and text[pos].isspace():
                    pos += 1
                if not text.startswith(token, pos):
                    raise RecordError(f"line {n}: token {token!r} is not at offset {pos} of the `# text` comment")
            else:
                separator = " " if j else "\n" if k else ""
                built.append(separator)
                pos += len(separator)
                built.append(token)
            tokens.append((n, pos, pos + len(token), tag, k))
            pos += len(token)
    meta = doc["comments"].get("meta")
    return _record(doc["comments"].get("id"), text if exact else "".join(built), _bio_spans(tokens),
                   meta if isinstance(meta, dict) else {}, default_id)


def _bio_spans(tokens: list[tuple[int, int, int, str, int]]) -> list[dict[str, Any]]:
    """Decode BIO/IOB1/BIOES/BILOU tags into char spans; an entity never continues across a sentence break."""
    spans: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    prev_sent = None
    for n, start, end, tag, sent in tokens:
        if sent != prev_sent:
            current, prev_sent = None, sent
        if tag == "O":
            current = None
            continue
        prefix, _, label = tag.partition("-")
        if prefix not in ("B", "I", "E", "S", "L", "U") or not label:
            raise RecordError(f"line {n}: tag {tag!r} is not O or B-/I-/E-/S-/L-/U- plus a label")
        if prefix in ("B", "S", "U") or current is None or current["label"] != label:
            current = {"start": start, "end": end, "label": label}
            spans.append(current)
        else:
            current["end"] = end
        if prefix in ("E", "S", "L", "U"):
            current = None
    return spans


def read_conll(path: str) -> Iterator[Record]:
    """CoNLL/BIO: ours (exact text in `# text`) or a plain token-per-line file (text rebuilt with spaces)."""
    docs = _conll_docs(path)
    return _parse_all(path, ((d["line"], d) for d in docs), _conll_record)


# ---------------------------------------------------------------- spaCy DocBin

DOCBIN_KEY = "kner"  # doc.user_data key holding our record (as JSON text: msgpack would turn lists into tuples)


def write_docbin(records: Iterable[Record], path: str) -> int:
    """A DocBin for `spacy train`: Kiwi tokens cut at span edges, spans in doc.ents, the whole record in user_data."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    from .output import partial_path

    vocab = Vocab()
    db = DocBin(store_user_data=True)
    losses = Losses("docbin", "doc.ents cannot hold (kept in doc.user_data only; `spacy train` will not see them)")
    n = inner = 0
    for r in records:
        doc, cut = aligned_doc(vocab, r)
        inner += cut
        ents, outside = [], []
        for s in r.spans:
            sp = token_span(doc, s)
            if sp is None:
                losses.add(EDGE_LOSS, r.id)
            elif ents and sp.start < ents[-1].end:
                losses.add("overlapping spans", r.id)
            else:
                ents.append(sp)
                continue
            outside.append(span_dict(s))
        doc.ents = ents
        stored = gold_dict(r)
        del stored["text"]
        stored["outside_ents"] = outside
        doc.user_data[DOCBIN_KEY] = json.dumps(stored, ensure_ascii=False)
        db.add(doc)
        n += 1
    partial = partial_path(path)
    db.to_disk(partial)
    os.replace(partial, path)
    losses.report()
    if inner:
        warn(f"{inner:,} spans have an edge inside a Kiwi token (e.g. 삼성 in 삼성전자): the DocBin cuts the token "
             "there so doc.ents hold them, but `spacy train` re-tokenizes the text with the Kiwi tokenizer, "
             "and spaCy then treats those spans as missing (neither learned nor penalised)")
    return n


def _docbin_dict(doc) -> dict[str, Any]:
    """Our record for one Doc: doc.ents decide offsets and labels; user_data adds extras and outside spans."""
    ents = [{"start": e.start_char, "end": e.end_char, "label": e.label_} for e in doc.ents]
    if DOCBIN_KEY not in doc.user_data:
        return {"text": doc.text, "spans": ents}
    stored = json.loads(doc.user_data[DOCBIN_KEY])
    by_key = {(s["start"], s["end"], s["label"]): s for s in stored["spans"]}
    spans = [by_key.get((e["start"], e["end"], e["label"]), e) for e in ents] + stored.pop("outside_ents")
    return {**stored, "text": doc.text, "spans": spans}


def read_docbin(path: str) -> Iterator[Record]:
    """A .spacy DocBin (ours or `spacy convert`'s): one record per Doc, spans from doc.ents."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    try:
        db = DocBin().from_disk(path)
    except (ValueError, KeyError, TypeError) as e:
        raise FormatError(f"{path}: not a spaCy DocBin ({e})") from None
    docs = ((i, _docbin_dict(doc)) for i, doc in enumerate(db.get_docs(Vocab()), 1))
    return _parse_all(path, docs, lambda d, default: Record.from_dict(d, default_id=default), unit="doc")


READERS: dict[str, Callable[..., Iterator[Record]]] = {
    "kner": read_kner, "prodigy": read_prodigy, "doccano": read_doccano, "labelstudio": read_labelstudio,
    "conll": read_conll, "docbin": read_docbin,
}
WRITERS: dict[str, Callable[..., int]] = {
    "kner": write_kner, "prodigy": write_prodigy, "doccano": write_doccano, "labelstudio": write_labelstudio,
    "conll": write_conll, "docbin": write_docbin,
}
