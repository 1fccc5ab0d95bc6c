"""Statistical tagger: a linear-chain CRF (CRFsuite) over sub-token units, written to the "model" layer.

Why units and not tokens: Kiwi often glues a name to what follows it (대전시장, 남북, 월덱스와 read as one noun),
so a gold span can end inside a token. The tagger labels *units*: Kiwi tokens cut at script changes and
punctuation, with nominal Hangul tokens cut into syllables. Every gold span of KLUE and of the seed gold but one
falls on unit edges (benchmarks/boundaries.py), and the features still carry the whole Kiwi token, its POS tags
and morphemes, so the model knows what Kiwi knows. Linear features keep inference cheap (see the model card).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from . import layers
from .canonical import LEGAL
from .records import LABELS, Span
from .tokenize import SPACE_TAG, doc_text, doc_tokens

LAYER = "model"
SOURCE = "model"
MODEL_FILE = "model.crfsuite"
CFG_FILE = "cfg.json"
TABLES = {"classes": "classes.json", "gazetteer": "gazetteer.json"}  # feature tables saved with the model
FEATURES_VERSION = 4  # bump when features change: a model trained on other features is refused
RULES_LAYER = "rules"  # the rule tagger's spans, read as features (the model learns when to trust each family)
NOMINAL = frozenset({"NNP", "NNG", "NNB", "NR", "NP", "XR"})  # tokens cut into syllables
OPEN_QUOTES, CLOSE_QUOTES = "‘“「『《〈", "’”」』》〉"  # pairs by position
OPEN_BRACKETS, CLOSE_BRACKETS = "([{", ")]}"
FUNCTION_TAGS = frozenset({"VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA", "MAG", "MAJ", "IC"})  # and J*, E*
HANGUL_WORD = re.compile("[\uac00-\ud7a3]+")  # Hangul syllables only: _script "H" throughout


class ModelError(ValueError):
    """A model directory that cannot be loaded; the message names the file and what to do."""


class Unit(NamedTuple):
    """A labelling position: `text[start:end]`, at `pos` B/I/E of its token (S when the unit is the whole token)."""

    start: int
    end: int
    pos: str


def _script(ch: str) -> str:
    """Coarse character class: H(angul), L(atin), D(igit), O(ther letter), P(unctuation or symbol)."""
    if "\uac00" <= ch <= "\ud7a3":
        return "H"
    if ch.isdigit():
        return "D"
    if ch.isascii() and ch.isalpha():
        return "L"
    return "O" if ch.isalpha() else "P"


def _cuts(text: str, nominal: bool) -> tuple[int, ...]:
    """Relative offsets where a token is cut into units: script changes, punctuation, Hangul syllables of nouns."""
    if HANGUL_WORD.fullmatch(text):  # most tokens: every character is a unit of a noun, none of anything else
        return tuple(range(len(text) + 1)) if nominal else (0, len(text))
    cuts = [0]
    for i in range(1, len(text)):
        a, b = _script(text[i - 1]), _script(text[i])
        if a != b or a == "P" or (nominal and a == "H"):
            cuts.append(i)
    cuts.append(len(text))
    return tuple(cuts)


def class_key(form: str, tag: str) -> str:
    """Key of a morpheme in the word-class table: form/TAG."""
    return form + "/" + tag


def is_function(tag: str) -> bool:
    """Particles, endings, predicates and adverbs (by the first Kiwi tag): context for names, never inside one."""
    first = tag.split("+", 1)[0]
    return first[:1] in ("J", "E") or first in FUNCTION_TAGS


@functools.cache  # one tuple per length
def _positions(n: int) -> tuple[str, ...]:
    """B/I/E of each of a token's n units; S for a token of one unit."""
    return ("S",) if n == 1 else ("B",) + ("I",) * (n - 2) + ("E",)


Feature = str | bytes  # a CRFsuite attribute name; bytes = already UTF-8 encoded, as CRFsuite stores it


class TokenType(NamedTuple):
    """Everything the features need of one (surface, tag) pair, built once and cached."""

    cuts: tuple[int, ...]  # unit edges relative to the token start
    function: bool
    own: tuple[Feature, ...]  # features of the token itself
    as_prev: tuple[Feature, ...]  # what the next token sees of it
    as_next: tuple[Feature, ...]  # what the previous token sees of it
    inner: tuple[Feature, ...]  # what its non-initial units see of it
    next_tag: Feature  # what the previous token's inner units see of it
    pos: tuple[str, ...]  # B/I/E/S of each unit
    first_tail: tuple[Feature, ...]  # position (and surface, for B) of the first unit
    mid: tuple[tuple[Feature, ...], ...]  # per later unit: position, surface, bigram with the unit before
    right: tuple[Feature, ...]  # per unit but the last: bigram with the unit after
    first_unit: Feature  # its first unit's surface: ends the bigram of the previous token's last unit
    left_of: Feature  # "u-1u=" + its last unit + "|": starts the next token's first-unit bigram
    right_of: Feature  # "uu+1=" + its last unit + "|": starts its own last-unit bigram


Sentence = list[tuple[int, TokenType, bool]]  # per non-whitespace token: char offset, type, whitespace before


def _utf8(features: Sequence[str]) -> tuple[bytes, ...]:
    """Features as UTF-8 bytes: CRFsuite would otherwise encode the same strings on every call."""
    return tuple([f.encode() for f in features])


class Featurizer:
    """Turns a Doc into CRFsuite feature sequences, one per sentence, over sub-token units.

    Features: the unit, its place in the token and its neighbouring units; for the first unit of a content token,
    the token's surface, Kiwi tag(s), affixes, word class (nearest anchors in Kiwi's embedding space,
    pipeline/train.py) and those of its neighbours; function tokens (particles, endings, predicates) get only
    surface and tag.
    Token types are cached, which keeps this cheap: a news text repeats most of its tokens. The cache is emptied
    when it holds `max_cache` types (~2.2 kB each: 110 MB at the default), so memory stays bounded on any archive.
    With `encoded=True` (prediction) the features are the same strings as UTF-8 bytes, which CRFsuite takes as
    they are: a third less tagging time than handing it str (docs/scale.md).
    """

    def __init__(self, classes: dict[str, list[str]], gazetteer: dict[str, str] | None = None,
                 max_cache: int = 50_000, encoded: bool = False):
        self.classes = classes
        self.gazetteer = gazetteer or {}
        self.max_cache = max_cache
        self.encoded = encoded
        # how features are kept, in groups and one by one: as built (str), or as UTF-8 bytes for prediction
        self._feats, self._feat = (_utf8, str.encode) if encoded else (tuple, str)
        self._cache: dict[tuple[str, str], TokenType] = {}
        self._bos, self._eos = self._boundary_type("<s>"), self._boundary_type("</s>")
        self._sp: Feature = self._feat("sp")

    def _boundary_type(self, name: str) -> TokenType:
        """The padding token before the first / after the last token of a sentence."""
        feats, feat = self._feats, self._feat
        return TokenType((), True, (), feats(("w-1=" + name, "t-1=" + name, "c-1=" + name)),
                         feats(("w+1=" + name, "t+1=" + name, "c+1=" + name)), (), feat("in_t+1=" + name), (), (),
                         (), (), feat(name), feat("u-1u=" + name + "|"), feat("uu+1=" + name + "|"))

    def _new_type(self, text: str, tag: str, lemma: str) -> TokenType:
        """Build the TokenType of a token that is not in the cache (`sentences` looks there first) and cache it."""
        if len(self._cache) >= self.max_cache:
            self._cache.clear()
        ty = self._cache[text, tag] = self._make_type(text, tag, lemma)
        return ty

    def _make_type(self, text: str, tag: str, lemma: str) -> TokenType:
        """The features of one (surface, tag) pair, kept as this featurizer keeps them (str, or UTF-8 bytes)."""
        feats, feat = self._feats, self._feat
        first = tag.split("+", 1)[0]
        w = text.lower()
        cuts = _cuts(text, first in NOMINAL)
        units = [w[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
        pos = _positions(len(units))
        cls = self.classes.get(class_key(lemma.split("+", 1)[0] if "+" in tag else text, first))
        c = cls or (("?", "?") if first in NOMINAL else ("-", "-"))
        as_prev = feats(("w-1=" + w, "t-1=" + tag, "c-1=" + c[0]))
        as_next = feats(("w+1=" + w, "t+1=" + tag, "c+1=" + c[0]))
        edges = feat(units[0]), feat("u-1u=" + units[-1] + "|"), feat("uu+1=" + units[-1] + "|")
        if is_function(tag):  # `sequences` reads only its own features and what its neighbours see of it
            return TokenType(cuts, True, feats(("w=" + w, "t=" + tag)), as_prev, as_next, (), feat("in_t+1=" + tag),
                             pos, (), (), (), *edges)
        own = ["w=" + w, "t=" + tag, "wt=" + w + "|" + tag, "pre2=" + w[:2], "suf2=" + w[-2:], "c=" + c[0],
               "c2=" + c[1]]
        if "+" in tag:
            own.append("lemma=" + lemma)
        known = self.gazetteer.get(text)
        if known:
            own.append("g=" + known)
        first_tail = feats(("p=B", "u=" + units[0]) if pos[0] == "B" else ("p=S",))
        mid = tuple([feats(("p=" + pos[k], "u=" + units[k], "u-1u=" + units[k - 1] + "|" + units[k]))
                     for k in range(1, len(units))])
        right = feats(["uu+1=" + units[k] + "|" + units[k + 1] for k in range(len(units) - 1)])
        return TokenType(cuts, False, feats(own), as_prev, as_next, feats(("in_w=" + w,)), feat("in_t+1=" + tag), pos,
                         first_tail, mid, right, *edges)

    def sentences(self, doc: Doc) -> Iterator[Sentence]:
        """Per sentence: (char offset, type, whitespace before) of each non-whitespace token."""
        sent: Sentence = []
        space = True
        text, cache = doc_text(doc), self._cache
        for t in doc_tokens(doc):
            tag = t.tag
            if t.sent_start and sent:
                yield sent
                sent = []
            if tag == SPACE_TAG:
                space = True
                continue
            word = text[t.start:t.end]
            ty = cache.get((word, tag)) or self._new_type(word, tag, t.lemma if "+" in tag else word)
            sent.append((t.start, ty, space))
            space = t.space
        if sent:
            yield sent

    def sequences(self, doc: Doc) -> Iterator[tuple[Sentence, list[Sequence[Feature]]]]:
        """Each sentence with the features of its units (`units(sentence)`), ready for CRFsuite.

        Per unit: a function token's surface and tag; for the first unit of a content token its own features,
        its neighbours', its position (and surface), whitespace before it; for a later unit the token's surface,
        the next token's tag, position and surface; content units also get bigrams with the units either side.
        """
        bos, eos, sp = self._bos, self._eos, self._sp
        ruled = sorted(layers.get_layer(doc, RULES_LAYER) + layers.get_layer(doc, layers.NEVER),
                       key=lambda s: s.start)
        ruled_starts = [s.start for s in ruled]
        for sent in self.sentences(doc):
            feats: list[Sequence[Feature]] = []
            n = len(sent)
            prev = bos
            for j, (_, ty, space) in enumerate(sent):
                if ty.function:
                    feats += [ty.own] * len(ty.pos)  # one shared tuple: CRFsuite only reads it
                    prev = ty
                    continue
                nxt = sent[j + 1][1] if j + 1 < n else eos
                last_right = ty.right_of + nxt.first_unit
                first = [*ty.own, *prev.as_prev, *nxt.as_next, *ty.first_tail]
                if space:
                    first.append(sp)
                first.append(prev.left_of + ty.first_unit)
                first.append(ty.right[0] if ty.right else last_right)
                feats.append(first)
                for k, mid in enumerate(ty.mid, 1):
                    feats.append([*ty.inner, nxt.next_tag, *mid, ty.right[k] if k < len(ty.right) else last_right])
                prev = ty
            if ruled:
                self._add_rule_features(sent, feats, ruled, ruled_starts)
            yield sent, feats

    def _add_rule_features(self, sent: Sentence, feats: list[Sequence[Feature]], ruled: list[Span],
                           starts: list[int]) -> None:
        """Each unit inside a rule span gets its place and label (R=B-ORG, R=I-LOC, R=B-O for a stop word) and the
        span's first unit the rule that fired (Rf=org-head, Rf=lexicon:orgs): the rules' view, as features."""
        start, end = sent[0][0], sent[-1][0] + sent[-1][1].cuts[-1]
        # the two layers are each free of overlaps, so at most two spans that start earlier reach into the sentence
        lo = max(0, bisect_left(starts, start) - 2)
        inside = [s for s in ruled[lo:bisect_left(starts, end)] if s.end > start]
        if not inside:
            return
        unit_starts = [idx + cut for idx, ty, _ in sent for cut in ty.cuts[:-1]]  # units tile the sentence
        for span in inside:
            first = True
            for i in covered_units(unit_starts, span.start, span.end):
                new = ["R=" + ("B-" if first else "I-") + span.label]
                if first:
                    new.append("Rf=" + (span.rule or span.label))
                    first = False
                feats[i] = [*feats[i], *self._feats(new)]

def covered_units(unit_starts: Sequence[int], start: int, end: int) -> range:
    """Indices of the units that [start, end) overlaps, given the sorted starts of units that tile a sentence."""
    return range(max(0, bisect_right(unit_starts, start) - 1), bisect_left(unit_starts, end))


def units(sent: Sentence) -> list[Unit]:
    """The labelling positions of a sentence from `Featurizer.sentences`, one per feature list of `sequences`."""
    return [Unit(idx + ty.cuts[k], idx + ty.cuts[k + 1], pos) for idx, ty, _ in sent for k, pos in enumerate(ty.pos)]


def doc_units(doc: Doc) -> list[list[Unit]]:
    """The units of each sentence of `doc` (for tests and benchmarks)."""
    return [units(sent) for sent in Featurizer({}).sentences(doc)]


def bio_labels(units: list[Unit], spans: Iterable[Span]) -> list[str]:
    """BIO label per unit for gold `spans` (char offsets); a span cutting a unit takes the units it overlaps."""
    labels = ["O"] * len(units)
    for sp in spans:
        inside = [i for i, u in enumerate(units) if u.start < sp.end and u.end > sp.start]
        for k, i in enumerate(inside):
            labels[i] = ("B-" if k == 0 else "I-") + sp.label
    return labels


def decode(text: str, units: list[Unit], tags: list[str], marginal=None) -> list[Span]:
    """Spans from a BIO sequence over units, edges cleaned by `trim`, ended at a line break (no gold name crosses
    one: a list of headlines is not one name); the score is the lowest per-unit marginal of the predicted labels
    (1.0 without `marginal`)."""
    spans: list[Span] = []
    i, n = 0, len(tags)
    while i < n:
        tag = tags[i]
        if tag == "O":
            i += 1
            continue
        label = tag[2:]
        j = i + 1
        while j < n and tags[j] == "I-" + label and "\n" not in text[units[j - 1].end:units[j].start]:
            j += 1
        a, b = trim(text, units, i, j)
        if a < b:
            score = min(marginal(tags[k], k) for k in range(i, j)) if marginal else 1.0
            start, end = units[a].start, units[b - 1].end
            spans.append(Span(start, end, label, text[start:end], SOURCE, round(score, 4)))
        i = j
    return spans


def trim(text: str, units: list[Unit], i: int, j: int) -> tuple[int, int]:
    """Units [i, j) of a predicted span without what ANNOTATION.md rules 3 and 16 keep out of a name.

    Quotes, symbols and punctuation at either edge go (‘X’ -> X, © 빛고을뉴스 -> 빛고을뉴스), except ㈜ and a
    bracket closed or opened inside the span ((주)X, X(주)); a quote closed but not opened inside the span ends
    it (공동실증’ 사업 -> 공동실증), one opened but not closed starts it after the quote. No gold name holds an
    unmatched bracket either (rules 6 and 14): one closed but not opened starts the span after it (IVI) 안동분소 ->
    안동분소), one opened but not closed ends it (GERI(차세대에너지연구센터 -> GERI), unless it opens a legal form
    whose bracket closes right after the span (동해수소에너지(주 -> 동해수소에너지(주)).
    """
    for k in range(i, j):
        ch = text[units[k].start]
        if ch in CLOSE_QUOTES and OPEN_QUOTES[CLOSE_QUOTES.index(ch)] not in text[units[i].start:units[k].start]:
            j = k
            break
        if ch in OPEN_QUOTES and CLOSE_QUOTES[OPEN_QUOTES.index(ch)] not in text[units[k].end:units[j - 1].end]:
            i = k + 1
    for k in range(i, j):
        ch = text[units[k].start]
        if ch in CLOSE_BRACKETS and OPEN_BRACKETS[CLOSE_BRACKETS.index(ch)] not in text[units[i].start:units[k].start]:
            i = k + 1
        elif ch in OPEN_BRACKETS and CLOSE_BRACKETS[OPEN_BRACKETS.index(ch)] not in text[units[k].end:units[j - 1].end]:
            legal = LEGAL.match(text, units[k].start)  # (주), (재) …: a legal form belongs to the name
            if legal and j < len(units) and legal.end() == units[j].end:
                j += 1
            else:
                j = k
            break
    while i < j and _edge_symbol(text[units[i].start], text[units[i].end:units[j - 1].end], OPEN_BRACKETS,
                                 CLOSE_BRACKETS):
        i += 1
    while j > i and _edge_symbol(text[units[j - 1].start], text[units[i].start:units[j - 1].start], CLOSE_BRACKETS,
                                 OPEN_BRACKETS):
        j -= 1
    return i, j


def _edge_symbol(ch: str, rest: str, same: str, other: str) -> bool:
    """True when `ch` at a span edge is to be dropped: a symbol, but not ㈜ nor a bracket matched in `rest`."""
    if ch == "㈜" or _script(ch) != "P":
        return False
    return not (ch in same and other[same.index(ch)] in rest)


class StatisticalTagger:
    """The `kner_model` component: CRF predictions over units, as char-offset spans in layer "model"."""

    def __init__(self, nlp: Language | None, name: str = "kner_model", model_path: str | None = None):
        self.name = name
        self.cfg: dict = {}
        self.tables: dict[str, dict] = {}
        self._featurizer = Featurizer({})
        self._model_bytes: bytes | None = None
        self._tagger = None
        if model_path:
            self.from_disk(model_path)

    def __call__(self, doc: Doc) -> Doc:
        if self._tagger is None:
            raise ModelError(f"[E201] component '{self.name}' has no model: pass model_path or call from_disk(DIR)")
        spans: list[Span] = []
        tagger, text = self._tagger, doc_text(doc)
        for sent, feats in self._featurizer.sequences(doc):
            tags = tagger.tag(feats)
            if any(t != "O" for t in tags):  # most sentences hold no name: their units are never built
                spans.extend(decode(text, units(sent), tags, tagger.marginal))
        layers.set_layer(doc, LAYER, [s for s in spans if s.label in LABELS])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def load(self, model_bytes: bytes, cfg: dict, tables: dict[str, dict]) -> StatisticalTagger:
        """Use a CRFsuite model given as bytes (CRFsuite's own format, never pickle), its cfg and feature tables
        ("classes": word classes), as written by `kner train`."""
        import pycrfsuite

        if cfg.get("features_version") != FEATURES_VERSION:
            raise ModelError(
                f"[E202] model was trained with features v{cfg.get('features_version')}, this code has "
                f"v{FEATURES_VERSION}: retrain it with `kner train`"
            )
        if cfg.get("sha256") and cfg["sha256"] != hashlib.sha256(model_bytes).hexdigest():
            raise ModelError(f"[E203] {MODEL_FILE} does not match the sha256 in {CFG_FILE}: the file was changed")
        tagger = pycrfsuite.Tagger()
        tagger.open_inmemory(model_bytes)
        self._tagger, self._model_bytes, self.cfg = tagger, model_bytes, dict(cfg)
        self.tables = {name: dict(tables.get(name) or {}) for name in TABLES}
        self._featurizer = Featurizer(self.tables["classes"], self.tables["gazetteer"], encoded=True)
        return self

    def to_disk(self, path, *, exclude=()) -> None:
        """Write model.crfsuite, cfg.json (labels, features version, sha256, training metadata) and the tables."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self._model_bytes is None:
            raise ModelError(f"[E201] component '{self.name}' has no model to save")
        (path / MODEL_FILE).write_bytes(self._model_bytes)
        for name, file in TABLES.items():
            (path / file).write_text(json.dumps(self.tables[name], ensure_ascii=False, sort_keys=True),
                                     encoding="utf-8")
        cfg = dict(self.cfg, sha256=hashlib.sha256(self._model_bytes).hexdigest())
        (path / CFG_FILE).write_text(json.dumps(cfg, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                     encoding="utf-8")

    def from_disk(self, path, *, exclude=()) -> StatisticalTagger:
        """Load a directory written by `to_disk` (the kner_model folder of a model saved by `kner train`)."""
        path = Path(path)
        if not (path / MODEL_FILE).is_file():
            raise ModelError(f"[E204] {path}: no {MODEL_FILE}; is this a directory written by `kner train`?")
        cfg = _read_json(path / CFG_FILE)
        tables = {name: _read_json(path / file) for name, file in TABLES.items()}
        return self.load((path / MODEL_FILE).read_bytes(), cfg, tables)

    def to_bytes(self, *, exclude=()) -> bytes:
        """Model, cfg and tables as one msgpack blob."""
        import srsly

        return srsly.msgpack_dumps({"model": self._model_bytes, "cfg": self.cfg, "tables": self.tables})

    def from_bytes(self, data: bytes, *, exclude=()) -> StatisticalTagger:
        """Inverse of `to_bytes`."""
        import srsly

        msg = srsly.msgpack_loads(data)
        return self.load(msg["model"], msg["cfg"], msg["tables"])


def _read_json(path: Path) -> dict:
    """A JSON object from a model directory, with an error naming the file."""
    if not path.is_file():
        raise ModelError(f"[E204] {path.parent}: no {path.name}; is this a directory written by `kner train`?")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise ModelError(f"[E205] {path}: not valid JSON ({e})") from e


@Language.factory(
    "kner_model",
    assigns=["doc._.kner_layers"],
    default_config={"model_path": None},
)
def make_statistical_tagger(nlp: Language, name: str, model_path: str | None) -> StatisticalTagger:
    """Factory: `nlp.add_pipe("kner_model", config={"model_path": "models/kner-crf"})`."""
    return StatisticalTagger(nlp, name, model_path)


__all__ = ["LABELS", "Featurizer", "StatisticalTagger", "Unit", "bio_labels", "covered_units", "decode", "doc_units",
           "units"]
