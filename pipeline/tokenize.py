"""Kiwi morphemes mapped to exact surface segments, as a spaCy tokenizer whose Doc text is the input unchanged."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Iterator
from itertools import repeat
from operator import itemgetter
from typing import NamedTuple

import numpy
from kiwipiepy.const import Match
from spacy.attrs import IDX, LEMMA, LENGTH, SENT_START, SPACY, TAG
from spacy.tokens import Doc, Token
from spacy.util import registry

SPACE_TAG = "_SP"  # whitespace between Kiwi segments (spaCy's own tag for it)
GAP_TAG = "SW"  # a non-space character Kiwi skipped: treated as a symbol
ATTRS = [TAG, LEMMA, SENT_START]  # what tokens_to_doc sets on each token, besides its text and whitespace
NOT_SENT_START = 2**64 - 1  # SENT_START -1 ("not a sentence start") as the uint64 spaCy's arrays hold
# Kiwi's pattern matching (URLs, e-mails, serials …) except hashtags, which it would keep whole: #제주여행 is read as
# # 제주 여행, so the names inside a hashtag are found like any other text (ANNOTATION.md rule 9)
MATCH_OPTIONS = Match.ALL & ~Match.HASHTAG

if not Doc.has_extension("kiwi_tokens"):
    Doc.set_extension("kiwi_tokens", default=None)  # one KiwiToken per token, set once per Doc (cheaper than per token)
if not Doc.has_extension("kiwi_text"):
    Doc.set_extension("kiwi_text", default=None)  # the input text: spaCy's doc.text re-joins every token on each call
if not Doc.has_extension("kiwi_uncut"):
    Doc.set_extension("kiwi_uncut", default=None)  # the tokenizer's rows, kept when a component cuts tokens (kner_ents)
if not Token.has_extension("morphs"):
    Token.set_extension("morphs", getter=lambda t: doc_tokens(t.doc)[t.i].morphs if t.doc._.kiwi_tokens else ())


class KiwiToken(NamedTuple):
    """One Doc token as the taggers read it, kept by the tokenizer so they need not read the Doc back."""

    start: int
    end: int
    tag: str
    space: bool  # one space follows (token.whitespace_)
    lemma: str
    sent_start: bool
    morphs: tuple[tuple[str, str], ...]


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


def nfc_map(text: str) -> tuple[str, list[int]] | None:
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


def _morphemes(text: str, kiwi) -> list[tuple[int, int, str, str, int]]:
    """Kiwi's morphemes of `text` as (start, end, form, tag, sentence), offsets in `text`, sorted by (start, end)."""
    nfc = nfc_map(text)
    source = nfc[0] if nfc else text
    morphs, n_sents = [], 0
    for offset, end in _chunks(source):
        sents = kiwi.tokenize(source[offset:end], split_sents=True, match_options=MATCH_OPTIONS)
        morphs += [(offset + t.start, offset + t.end, t.form, t.tag, n_sents + i)
                   for i, sent in enumerate(sents) for t in sent]
        n_sents += len(sents)
    if nfc:
        starts = nfc[1]
        morphs = [(starts[s], starts[e], f, t, i) for s, e, f, t, i in morphs]
    morphs.sort(key=itemgetter(0, 1))
    return morphs


def analyse(text: str, kiwi=None) -> list[KiwiToken]:
    """Cut `text` into tokens that cover it exactly, following Kiwi's morphemes and sentences.

    Morphemes that share characters (했 = 하 + 었) make one token; whitespace runs and characters Kiwi skipped
    are tokens of their own, except a single space after a token, which is that token's whitespace (`space`).
    """
    table = TokenTable(text)
    if text:
        table.fill(_morphemes(text, kiwi or get_kiwi()))
    return table.tokens()


class TokenTable:
    """The tokens of a text being built piece by piece, one list per KiwiToken field (a list item can still take
    the single space that turns out to follow it, where a tuple could not)."""

    def __init__(self, text: str):
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.tags: list[str] = []
        self.spaces: list[bool] = []
        self.lemmas: list[str] = []
        self.sent_starts: list[bool] = []
        self.morphs: list[tuple[tuple[str, str], ...]] = []
        self.pos = 0  # end of the text covered so far
        self.sent = 0  # sentence of the last token: whitespace and skipped characters belong to it

    def fill(self, morphs: list[tuple[int, int, str, str, int]]) -> None:
        """Tokens for morphemes sorted by (start, end) and for the text around them (the tokenizer's hot loop)."""
        text, n, i = self.text, len(morphs), 0
        while i < n:
            s, e, form, tag, sent = morphs[i]
            i += 1
            group = ((form, tag),)
            while i < n and morphs[i][0] < e:  # morphemes sharing characters: one token
                group += ((morphs[i][2], morphs[i][3]),)
                e = max(e, morphs[i][1])
                i += 1
            if s == self.pos + 1 and text[self.pos] == " " and self.takes_space():  # the usual gap: no loop
                self.spaces[-1] = True
            elif s > self.pos:
                self.gap(s)
            if e > s:
                if len(group) == 1:
                    self.add(s, e, tag, form, sent, group)
                else:
                    self.add(s, e, "+".join(m[1] for m in group), "+".join(m[0] for m in group), sent, group)
            self.pos = max(self.pos, e)
        self.gap(len(text))

    def gap(self, end: int) -> None:
        """Tokens for text[pos:end], which no morpheme covers: whitespace runs and single skipped characters."""
        text, i = self.text, self.pos
        while i < end:
            j = i + 1
            if text[i].isspace():
                while j < end and text[j].isspace():
                    j += 1
                self.piece(i, j, SPACE_TAG, text[i:j], self.sent, ())
            else:
                self.piece(i, j, GAP_TAG, text[i], self.sent, ((text[i], GAP_TAG),))
            i = j
        self.pos = max(self.pos, end)

    def piece(self, start: int, end: int, tag: str, lemma: str, sent: int, morphs: tuple[tuple[str, str], ...]) -> None:
        """Add text[start:end]: a single space becomes the whitespace of the token before it, if that has none."""
        if not morphs and end == start + 1 and self.text[start] == " " and self.takes_space():
            self.spaces[-1] = True
        else:
            self.add(start, end, tag, lemma, sent, morphs)

    def add(self, start: int, end: int, tag: str, lemma: str, sent: int, morphs: tuple[tuple[str, str], ...]) -> None:
        """Append a token of sentence number `sent`, with no whitespace yet."""
        self.starts.append(start)
        self.ends.append(end)
        self.tags.append(tag)
        self.spaces.append(False)
        self.lemmas.append(lemma)
        self.sent_starts.append(not self.sent_starts or sent != self.sent)
        self.morphs.append(morphs)
        self.sent = sent

    def takes_space(self) -> bool:
        """Whether the last token has no whitespace yet, so a single space after it becomes its whitespace."""
        return bool(self.spaces) and not self.spaces[-1]

    def tokens(self) -> list[KiwiToken]:
        """The finished table, one KiwiToken per token (made by tuple.__new__, in C: KiwiToken's own constructor is
        Python code, which takes twice the instructions for its seven fields)."""
        rows = zip(self.starts, self.ends, self.tags, self.spaces, self.lemmas, self.sent_starts, self.morphs,
                   strict=True)
        return list(map(tuple.__new__, repeat(KiwiToken), rows))


def tokens_to_doc(vocab, text: str, tokens: list[KiwiToken]) -> Doc:
    """A Doc of `tokens` (which cover `text` exactly), keeping them as `doc._.kiwi_tokens` for the taggers."""
    doc = Doc(vocab, words=[text[t.start:t.end] for t in tokens], spaces=[t.space for t in tokens])
    if tokens:  # one array for all attributes: Doc(tags=, lemmas=, sent_starts=) sets them cell by cell in numpy
        add = vocab.strings.add
        values = numpy.empty((len(tokens), len(ATTRS)), dtype=numpy.uint64)  # filled by column: no tuple per token
        values[:, 0] = [add(t.tag) for t in tokens]
        values[:, 1] = [add(t.lemma) for t in tokens]
        values[:, 2] = [1 if t.sent_start else NOT_SENT_START for t in tokens]
        doc.from_array(ATTRS, values)
    doc._.kiwi_tokens = tokens
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
    if rows and len(rows) == len(doc) and isinstance(rows[-1], list):  # lists after msgpack (Doc.to_bytes, n_process)
        rows = doc._.kiwi_tokens = _from_lists(rows)
        return rows
    strings = doc.vocab.strings
    table = doc.to_array([IDX, LENGTH, TAG, SPACY, LEMMA, SENT_START]).tolist()
    return [KiwiToken(idx, idx + length, strings[tag], bool(space), strings[lemma], sent == 1, ())
            for idx, length, tag, space, lemma, sent in table]


def _from_lists(rows: list[list]) -> list[KiwiToken]:
    """KiwiTokens back from the lists msgpack turns them into."""
    return [KiwiToken(*row[:6], tuple(map(tuple, row[6]))) for row in rows]


def keep_tokenizer_rows(doc: Doc, rows: list[KiwiToken]) -> None:
    """Keep the tokenizer's rows before a component cuts the Doc's tokens (the first cut keeps them)."""
    if doc._.kiwi_uncut is None:
        doc._.kiwi_uncut = rows


def tokenizer_rows(doc: Doc) -> list[KiwiToken]:
    """The rows the Kiwi tokenizer made, even after kner_ents cut tokens at entity edges (records' `tokens`)."""
    rows = doc._.kiwi_uncut
    if rows is None:
        return doc_tokens(doc)
    return _from_lists(rows) if rows and isinstance(rows[-1], list) else rows


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
        return tokens_to_doc(self.vocab, text, analyse(text, self.kiwi))

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
    def create(nlp):
        return KiwiTokenizer(nlp.vocab, num_workers, multi_dict)

    return create
