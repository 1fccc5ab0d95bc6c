"""Tokens that respect span edges, and spans as BIO tags over them: the alignment shared by Prodigy, CoNLL and
DocBin."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from ..records import Record, RecordError, Span


def cut_tokens(text: str, spans: Iterable[Span], kiwi=None) -> tuple[list, int]:
    """Kiwi tokens of `text` cut at every span edge and at whitespace inside a token, and how many spans needed a cut.

    Kiwi reads 삼성전자 as one token; a span 삼성 then gets its own token 삼성 and 전자 another, so every span
    edge is a token edge. A cut part keeps the full tag of the token it came from.
    """
    from ..tokenize import SPACE_TAG, TokenTable, analyse

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
    from ..tokenize import tokens_to_doc

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



def bio_tags(doc, spans: Iterable[Span]) -> tuple[list[str], list[str]]:
    """IOB2 tags of `doc`'s tokens for `spans`, and the loss (EDGE_LOSS or OVERLAP_LOSS) of each span left out."""
    tags, lost = ["O"] * len(doc), []
    for s in spans:
        sp = token_span(doc, s)
        if sp is None:
            lost.append(EDGE_LOSS)
        elif any(tags[i] != "O" for i in range(sp.start, sp.end)):
            lost.append(OVERLAP_LOSS)
        else:
            tags[sp.start:sp.end] = [f"B-{s.label}"] + [f"I-{s.label}"] * (len(sp) - 1)
    return tags, lost


def bio_spans(tokens: list[tuple[int, int, int, str, int]]) -> list[dict[str, Any]]:
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
