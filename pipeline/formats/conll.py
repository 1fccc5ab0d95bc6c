"""CoNLL BIO over Kiwi tokens cut at span edges, and plain CoNLL/BIO files from other tools."""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from typing import Any

from ..errors import BINARY, TOO_LONG, UNDECODABLE, UNREADABLE, FormatError
from ..jsonl import MAX_LINE_BYTES, binary_head, open_binary
from ..output import AtomicJsonlWriter, is_direct
from ..records import Record, RecordError
from .align import aligned_doc, bio_spans, bio_tags
from .common import SPAN_EXTRAS, Losses, SkipWarning, _parse_all, _record, warn

DOCSTART = "-DOCSTART- -X- O O"  # CoNLL-2003's document separator, the one `spacy convert -c ner` splits on
IDS_SUFFIX = ".ids"  # the side file beside OUT: one JSON line per document (id, exact text, meta), in order


def conll_lines(record: Record, doc, losses: Losses, comments: bool = False) -> Iterator[str]:
    """One document: the -DOCSTART- line, (with `comments`: JSON-valued `# id`, `# text`, `# meta` lines), then
    `token<TAB>tag` lines, sentences blank-separated."""
    tags, lost = bio_tags(doc, record.spans)
    for what in lost:
        losses.add(what, record.id)
    yield DOCSTART
    yield ""
    if comments:
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


def ids_path(path: str) -> str | None:
    """The side file of a CoNLL file written or read at `path` (None for standard output or a device)."""
    if path == "-" or is_direct(path):
        return None
    return path[:-3] + IDS_SUFFIX if path.endswith(".gz") else path + IDS_SUFFIX


def write_conll(records: Iterable[Record], path: str, comments: bool = False) -> int:
    """CoNLL-2003-style BIO (IOB2) over Kiwi tokens cut at span edges, documents started by `-DOCSTART- -X- O O`
    (what `spacy convert -c ner` reads). Ids, exact texts and meta go to the side file OUT.ids (read back by
    `read_conll`), or with `comments` into `# id`/`# text`/`# meta` lines, which spaCy's converter rejects."""
    from spacy.vocab import Vocab

    vocab = Vocab()
    losses = Losses("conll")
    side = None if comments else ids_path(path)
    n = 0
    with AtomicJsonlWriter(path) as writer, (AtomicJsonlWriter(side) if side else nullcontext()) as ids:
        for r in records:
            losses.record_fields(r, ("sentences", "tokens", "kner", *SPAN_EXTRAS))
            for line in conll_lines(r, aligned_doc(vocab, r)[0], losses, comments):
                writer.write(line)
            if ids is not None:
                ids.write(json.dumps({"id": r.id, "text": r.text, **({"meta": r.meta} if r.meta else {})},
                                     ensure_ascii=False))
            elif not comments:
                losses.add("ids and exact texts (no side file on standard output; pass --conll-comments)", r.id)
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
    except (json.JSONDecodeError, RecursionError):
        return key.strip(), raw


def _text_lines(path: str) -> Iterator[tuple[int, str]]:
    """(line number, line without its end) of a text file read with the JSONL reader's bounds; a line that is not
    UTF-8 or too long is reported and skipped."""
    try:
        f = open_binary(path)
    except OSError as e:
        raise FormatError(f"cannot read {path} ({e.strerror or e})", UNREADABLE) from None
    with f:
        if binary_head(f):
            raise FormatError(f"{path}: binary data, not a CoNLL text file", BINARY)
        n = 0
        try:
            for n, raw in enumerate(iter(lambda: f.readline(MAX_LINE_BYTES + 1), b""), 1):
                if len(raw) > MAX_LINE_BYTES:
                    raise FormatError(f"{path}:{n}: line over {MAX_LINE_BYTES:,} bytes; is this a CoNLL file?",
                                      TOO_LONG)
                try:
                    yield n, raw.decode("utf-8-sig" if n == 1 else "utf-8").rstrip("\r\n")
                except UnicodeDecodeError as e:
                    warn(f"[{UNDECODABLE}] {path}:{n}: not UTF-8 (undecodable byte at column {e.start + 1}); "
                         "line skipped", SkipWarning)
        except (EOFError, zlib.error) as e:
            raise FormatError(f"{path}:{n + 1}: cannot read further (corrupt compressed data: {e})",
                              UNREADABLE) from None


def _conll_docs(path: str) -> list[dict[str, Any]]:
    """Group a CoNLL file into documents (started by `# id` or -DOCSTART-; else one per sentence)."""
    docs: list[dict[str, Any]] = []
    marked = False
    for n, line in _text_lines(path):
        comment = _conll_comment(line)
        docstart = line.split() == DOCSTART.split() or (
            line.split()[:1] == ["-DOCSTART-"] and not (docs and "text" in docs[-1]["comments"]))
        fresh = bool(docs) and docs[-1]["docstart"] and not docs[-1]["comments"] and docs[-1]["sents"] == [[]]
        if comment and comment[0] == "id" and fresh:  # `# id` right after -DOCSTART- names that document
            docs[-1]["comments"]["id"] = comment[1]
        elif docstart or (comment and comment[0] == "id"):
            marked = True
            docs.append({"line": n, "comments": dict([comment]) if comment else {}, "sents": [[]],
                         "docstart": docstart})
        elif comment:
            if docs:
                docs[-1]["comments"][comment[0]] = comment[1]
        elif not line.strip():
            if docs and docs[-1]["sents"][-1]:
                docs[-1]["sents"].append([])
        else:
            if not docs:
                docs.append({"line": n, "comments": {}, "sents": [[]], "docstart": False})
            docs[-1]["sents"][-1].append((n, line))
    if not marked:  # plain seqeval-style file: each sentence is a record
        docs = [{"line": sent[0][0], "comments": {}, "sents": [sent]} for d in docs for sent in d["sents"] if sent]
    _side_file(path, docs)
    return docs


def _side_file(path: str, docs: list[dict[str, Any]]) -> None:
    """Ids, exact texts and meta from PATH.ids (written by `write_conll`) for documents without comments."""
    side = ids_path(path)
    if side is None or not os.path.isfile(side) or any(d["comments"] for d in docs):
        return
    try:
        with open(side, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        warn(f"{side}: not read ({e}); ids and exact texts rebuilt from the tokens")
        return
    if len(rows) != len(docs) or not all(isinstance(r, dict) for r in rows):
        warn(f"{side}: {len(rows)} lines for {len(docs)} documents in {path}; not used, ids and exact texts "
             "rebuilt from the tokens")
        return
    for d, row in zip(docs, rows, strict=True):
        d["comments"] = {k: row[k] for k in ("id", "text", "meta") if k in row}


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
    return _record(doc["comments"].get("id"), text if exact else "".join(built), bio_spans(tokens),
                   meta if isinstance(meta, dict) else {}, default_id)


def read_conll(path: str) -> Iterator[Record]:
    """CoNLL/BIO: ours (exact text in `# text`) or a plain token-per-line file (text rebuilt with spaces)."""
    docs = _conll_docs(path)
    return _parse_all(path, ((d["line"], d) for d in docs), _conll_record)


