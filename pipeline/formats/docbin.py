"""spaCy DocBin (.spacy) files for `spacy train`, with the whole record kept in doc.user_data."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import FormatError
from ..jsonl import MAX_JSON_BYTES, open_binary
from ..output import AtomicJsonlWriter
from ..records import Record
from .align import EDGE_LOSS, aligned_doc, token_span
from .common import Losses, _parse_all, warn

DOCBIN_KEY = "kner"  # doc.user_data key holding our record (as JSON text: msgpack would turn lists into tuples)


def write_docbin(records: Iterable[Record], path: str) -> int:
    """A DocBin for `spacy train`: Kiwi tokens cut at span edges, spans in doc.ents, the whole record in user_data."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

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
            outside.append(s.to_dict("gold"))
        doc.ents = ents
        stored = r.to_dict("gold")
        del stored["text"]
        stored["outside_ents"] = outside
        doc.user_data[DOCBIN_KEY] = json.dumps(stored, ensure_ascii=False)
        db.add(doc)
        n += 1
    with AtomicJsonlWriter(path, binary=True) as writer:
        writer.write(db.to_bytes())
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
        with open_binary(path) as f:
            data = f.read(MAX_JSON_BYTES + 1)
        if len(data) > MAX_JSON_BYTES:
            raise ValueError(f"over {MAX_JSON_BYTES:,} bytes")
        db = DocBin().from_bytes(data)
    except Exception as e:  # noqa: BLE001 (srsly, zlib and msgpack raise many kinds for a file that is not a DocBin)
        raise FormatError(f"{path}: not a spaCy DocBin ({type(e).__name__}: {e})") from None
    docs = enumerate(db.get_docs(Vocab()), 1)
    return _parse_all(path, docs, lambda doc, default: Record.from_dict(_docbin_dict(doc), default_id=default),
                      unit="doc", objects=False)


