"""Kiwi morphemes mapped to exact surface segments, as a spaCy tokenizer whose Doc text is the input unchanged."""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import NamedTuple

from spacy.attrs import IDX, LEMMA, LENGTH, SENT_START, SPACY, TAG
from spacy.tokens import Doc, Token
from spacy.util import registry

SPACE_TAG = "_SP"  # whitespace between Kiwi segments (spaCy's own tag for it)
GAP_TAG = "SW"  # a non-space character Kiwi skipped: treated as a symbol

if not Doc.has_extension("kiwi_tokens"):
    Doc.set_extension("kiwi_tokens", default=None)  # one KiwiToken per token, set once per Doc (cheaper than per token)
if not Doc.has_extension("kiwi_text"):
    Doc.set_extension("kiwi_text", default=None)  # the input text: spaCy's doc.text re-joins every token on each call
if not Token.has_extension("morphs"):
    Token.set_extension("morphs", getter=lambda t: t.doc._.kiwi_tokens[t.i].morphs if t.doc._.kiwi_tokens else ())


class Piece(NamedTuple):
    """A surface segment `text[start:end]` with the Kiwi morphemes that cover it."""

    start: int
    end: int
    morphs: tuple[tuple[str, str], ...]  # (form, tag) pairs; () for whitespace
    sent: int  # index of the Kiwi sentence this piece belongs to

    @property
    def tag(self) -> str:
        """Kiwi tags joined with '+' (했 -> XSV+EP); _SP for whitespace."""
        return _joined(self.morphs, 1) or SPACE_TAG

    @property
    def lemma(self) -> str:
        """Kiwi morpheme forms joined with '+' (했 -> 하+었); "" for whitespace."""
        return _joined(self.morphs, 0)


class KiwiToken(NamedTuple):
    """One Doc token as the taggers read it, kept by the tokenizer so they need not read the Doc back."""

    start: int
    end: int
    tag: str
    space: bool  # one space follows (token.whitespace_)
    lemma: str
    sent_start: bool
    morphs: tuple[tuple[str, str], ...]


def _joined(morphs: tuple[tuple[str, str], ...], field: int) -> str:
    """One field of every morpheme joined with '+'; most pieces have a single morpheme, which needs no join."""
    if len(morphs) == 1:
        return morphs[0][field]
    return "+".join(m[field] for m in morphs)


def get_kiwi(num_workers: int = 1, multi_dict: bool = False):
    """One Kiwi per process and configuration: building it takes seconds and ~0.5 GB, so it is shared.

    `multi_dict` loads Kiwi's multi-word proper-noun dictionary. It doubles Kiwi's build time (4.2 s against
    2.0 s CPU) and, measured on all three evaluation sets with a retrained model, changes no accuracy figure by
    more than one span (models/README.md), so kner's models are trained and run without it.
    """
    return _build_kiwi(int(num_workers), bool(multi_dict))


@functools.lru_cache(maxsize=4)
def _build_kiwi(num_workers: int, multi_dict: bool):
    """Cached by configuration (get_kiwi() and get_kiwi(1) must not build two Kiwis)."""
    from kiwipiepy import Kiwi

    return Kiwi(num_workers=num_workers, load_multi_dict=multi_dict)


def _nfc_map(text: str) -> tuple[str, list[int]] | None:
    """NFC-compose text (Kiwi misreads decomposed Hangul) with each NFC index's start in `text`.

    Returns None when `text` is already NFC. The map has one extra entry for len(nfc).
    """
    if unicodedata.is_normalized("NFC", text):
        return None
    pieces, starts = [], []
    i = 0
    while i < len(text):
        j = i + 1  # a cluster is a character plus everything that can compose onto it
        while j < len(text) and (unicodedata.combining(text[j]) or "\u1160" <= text[j] <= "\u11ff"):
            j += 1
        composed = unicodedata.normalize("NFC", text[i:j])
        pieces.append(composed)
        starts.extend([i] * len(composed))
        i = j
    nfc = "".join(pieces)
    starts.append(len(text))
    return nfc, starts


def _tile(text: str, morphs: Iterable[tuple[int, int, str, str, int]]) -> list[Piece]:
    """Pieces covering every character of `text`, from morphemes sorted by (start, end), in one pass.

    Morphemes that share surface characters (했 = 하 + 었) merge into one piece; whitespace runs and characters
    Kiwi skipped become pieces of their own (`_gap_pieces`); empty pieces are dropped.
    """
    out: list[Piece] = []
    pos = sent = 0  # end of the text covered so far; sentence of the last non-empty piece
    start, end, group, group_sent = 0, -1, (), 0  # the piece being built
    for s, e, form, tag, i in morphs:
        if s < end:
            group += ((form, tag),)
            end = max(end, e)
            continue
        if group:
            pos, sent = _flush(text, out, pos, sent, Piece(start, end, group, group_sent))
        start, end, group, group_sent = s, e, ((form, tag),), i
    if group:
        pos, sent = _flush(text, out, pos, sent, Piece(start, end, group, group_sent))
    _flush(text, out, pos, sent, Piece(len(text), len(text), (), -1))
    return out


def _flush(text: str, out: list[Piece], pos: int, sent: int, p: Piece) -> tuple[int, int]:
    """Append the gap before piece `p` and `p` itself (unless empty); return the new (pos, sent)."""
    if p.start == pos + 1 and text[pos] == " ":  # the usual gap, one space between words: no generator
        out.append(Piece(pos, p.start, (), sent))
    elif p.start > pos:
        out.extend(_gap_pieces(text[pos:p.start], pos, sent))
    if p.end > p.start:
        out.append(p)
        sent = p.sent
    return max(pos, p.end), sent


def _gap_pieces(gap: str, offset: int, sent: int) -> Iterator[Piece]:
    """Split an uncovered stretch into whitespace runs and single skipped characters."""
    i = 0
    while i < len(gap):
        j = i + 1
        if gap[i].isspace():
            while j < len(gap) and gap[j].isspace():
                j += 1
            yield Piece(offset + i, offset + j, (), sent)
        else:
            yield Piece(offset + i, offset + j, ((gap[i], GAP_TAG),), sent)
        i = j


CHUNK_CHARS = 20_000  # Kiwi's time grows faster than the text; huge articles are analysed in chunks


def _chunks(text: str) -> Iterator[tuple[int, int]]:
    """[start, end) chunks of at most CHUNK_CHARS, cut after a newline (else a space) where there is one."""
    start = 0
    while len(text) - start > CHUNK_CHARS:
        limit = start + CHUNK_CHARS
        cut = text.rfind("\n", start + CHUNK_CHARS // 2, limit)
        if cut < 0:
            cut = text.rfind(" ", start + CHUNK_CHARS // 2, limit)
        end = cut + 1 if cut >= 0 else limit
        yield start, end
        start = end
    yield start, len(text)


def segment(text: str, kiwi=None) -> list[Piece]:
    """Cut `text` into pieces that cover it exactly, following Kiwi's morphemes and sentences."""
    if not text:
        return []
    kiwi = kiwi or get_kiwi()
    nfc = _nfc_map(text)
    source = nfc[0] if nfc else text
    morphs, n_sents = [], 0
    for offset, end in _chunks(source):
        sents = kiwi.tokenize(source[offset:end], split_sents=True)
        morphs += [(offset + t.start, offset + t.end, t.form, t.tag, n_sents + i)
                   for i, sent in enumerate(sents) for t in sent]
        n_sents += len(sents)
    if nfc:
        starts = nfc[1]
        morphs = [(starts[s], starts[e], f, t, i) for s, e, f, t, i in morphs]
    morphs.sort(key=itemgetter(0, 1))
    return _tile(text, morphs)


def pieces_to_doc(vocab, text: str, pieces: list[Piece]) -> Doc:
    """Build a Doc whose text is exactly `text`: a single space after a piece becomes token whitespace.

    The tokens are also kept as `doc._.kiwi_tokens` (KiwiToken rows), which the taggers read (`doc_tokens`).
    """
    rows: list[KiwiToken] = []
    n, i, last_sent = len(pieces), 0, None
    while i < n:
        p = pieces[i]
        i += 1
        q = pieces[i] if i < n else None  # a single space after p is p's whitespace, not a token
        space = q is not None and not q.morphs and q.end == q.start + 1 and text[q.start] == " "
        i += space
        lemma = p.lemma if p.morphs else text[p.start:p.end]  # whitespace is its own lemma
        rows.append(KiwiToken(p.start, p.end, p.tag, space, lemma, not rows or p.sent != last_sent, p.morphs))
        last_sent = p.sent
    # attributes go to Doc() in bulk: setting them token by token cost half as much CPU as Kiwi itself
    doc = Doc(vocab, words=[text[r.start:r.end] for r in rows], spaces=[r.space for r in rows],
              tags=[r.tag for r in rows], lemmas=[r.lemma for r in rows], sent_starts=[r.sent_start for r in rows])
    doc._.kiwi_tokens = rows
    doc._.kiwi_text = text
    return doc


def _char_length(doc: Doc) -> int:
    """Length of doc.text, from its last token (without building the text)."""
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0


def doc_text(doc: Doc) -> str:
    """`doc.text`, as the tokenizer kept it when it made this Doc (spaCy rebuilds it from every token)."""
    text = doc._.kiwi_text
    return text if isinstance(text, str) and len(text) == _char_length(doc) else doc.text


def doc_tokens(doc: Doc) -> list[KiwiToken]:
    """The Doc's tokens as KiwiToken rows: the tokenizer's own when it made this Doc, else read from the Doc.

    The kept rows are used only when they still fit the Doc (same number of tokens, same last token), so a Doc
    cut out of another one (`Span.as_doc`) or read back without its user data gets rows from its own arrays.
    """
    rows = doc._.kiwi_tokens
    if rows is not None and len(rows) == len(doc) and (not rows or (
            isinstance(rows[-1], KiwiToken) and rows[-1].end == doc[-1].idx + len(doc[-1]))):
        return rows
    strings = doc.vocab.strings
    table = doc.to_array([IDX, LENGTH, TAG, SPACY, LEMMA, SENT_START]).tolist()
    return [KiwiToken(idx, idx + length, strings[tag], bool(space), strings[lemma], sent == 1, ())
            for idx, length, tag, space, lemma, sent in table]


class KiwiTokenizer:
    """spaCy tokenizer backed by Kiwi; `doc.text == text` for every input string."""

    def __init__(self, vocab, num_workers: int = 1, multi_dict: bool = False):
        self.vocab = vocab
        self.num_workers = num_workers
        self.multi_dict = multi_dict

    @property
    def kiwi(self):
        """The process-wide Kiwi, built on first use so pickling and loading stay cheap."""
        return get_kiwi(self.num_workers, self.multi_dict)

    def __call__(self, text: str) -> Doc:
        return pieces_to_doc(self.vocab, text, segment(text, self.kiwi))

    def pipe(self, texts: Iterable[str], batch_size: int = 64) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def __reduce__(self):
        return (KiwiTokenizer, (self.vocab, self.num_workers, self.multi_dict))

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> KiwiTokenizer:
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> KiwiTokenizer:
        return self


@registry.tokenizers("kner.KiwiTokenizer.v1")
def make_kiwi_tokenizer(num_workers: int = 1, multi_dict: bool = True):
    """Config entry point: `[nlp.tokenizer] @tokenizers = "kner.KiwiTokenizer.v1"`, `multi_dict = false`.

    `multi_dict` defaults to true because configs written before the option existed (kner 0.1) have no key and
    were trained with Kiwi's multi-word dictionary; the configs kner writes now set it false (get_kiwi).
    """
    workers = int(os.environ.get("KNER_KIWI_THREADS", num_workers))

    def create(nlp):
        return KiwiTokenizer(nlp.vocab, workers, multi_dict)

    return create
