"""Statistical tagger: a linear-chain CRF (CRFsuite) over sub-token units, written to the "model" layer.

Why units and not tokens: Kiwi often glues a name to what follows it (대전시장, 남북, 월덱스와 read as one noun),
so a gold span can end inside a token. The tagger labels *units*: Kiwi tokens cut at script changes and
punctuation, with nominal Hangul tokens cut into syllables. Every gold span of KLUE and of the seed gold but one
falls on unit edges (benchmarks/boundaries.py), and the features still carry the whole Kiwi token, its POS tags
and morphemes, so the model knows what Kiwi knows. Linear features keep inference cheap (see the model card).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from . import layers
from .records import LABELS, Span

LAYER = "model"
SOURCE = "model"
MODEL_FILE = "model.crfsuite"
CFG_FILE = "cfg.json"
CLASSES_FILE = "classes.json"
FEATURES_VERSION = 2  # bump when features change: a model trained on other features is refused
SPACE_TAG = "_SP"
NOMINAL = frozenset({"NNP", "NNG", "NNB", "NR", "NP", "XR"})  # tokens cut into syllables


class ModelError(ValueError):
    """A model directory that cannot be loaded; the message names the file and what to do."""


@dataclass(frozen=True)
class Unit:
    """A labelling position: `text[start:end]`, inside token `tok`, at `pos` B/I/E (or S for a whole token)."""

    start: int
    end: int
    tok: int
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


def _cuts(text: str, nominal: bool) -> list[int]:
    """Relative offsets where a token is cut into units: script changes, punctuation, Hangul syllables of nouns."""
    cuts = [0]
    for i in range(1, len(text)):
        a, b = _script(text[i - 1]), _script(text[i])
        if a != b or a == "P" or (nominal and a == "H"):
            cuts.append(i)
    cuts.append(len(text))
    return cuts


@dataclass(frozen=True)
class Tok:
    """What the features need of a spaCy token, read once per doc (spaCy attribute access is slow)."""

    i: int
    idx: int
    text: str
    tag: str
    lemma: str
    space_before: bool
    space_after: bool
    sent_start: bool


def doc_tokens(doc: Doc) -> list[Tok]:
    """The non-whitespace tokens of `doc`, with whether whitespace surrounds them."""
    out: list[Tok] = []
    prev_space, new_sent = True, True
    for t in doc:
        tag = t.tag_
        new_sent = new_sent or bool(t.is_sent_start)
        if tag == SPACE_TAG:
            prev_space = True
            continue
        space_after = bool(t.whitespace_)
        out.append(Tok(t.i, t.idx, t.text, tag, t.lemma_, prev_space, space_after, new_sent))
        prev_space, new_sent = space_after, False
    return out


def sentence_units(toks: list[Tok]) -> Iterator[list[Unit]]:
    """The units of each sentence; `Unit.tok` indexes `toks`."""
    units: list[Unit] = []
    for k, tok in enumerate(toks):
        if tok.sent_start and units:
            yield units
            units = []
        cuts = _cuts(tok.text, tok.tag in NOMINAL)
        n = len(cuts) - 1
        for c in range(n):
            pos = "S" if n == 1 else "B" if c == 0 else "E" if c == n - 1 else "I"
            units.append(Unit(tok.idx + cuts[c], tok.idx + cuts[c + 1], k, pos))
    if units:
        yield units


def class_key(form: str, tag: str) -> str:
    """Key of a morpheme in the word-class table: form/TAG."""
    return form + "/" + tag


def _token_features(toks: list[Tok], classes: dict[str, list[str]]) -> tuple[list[list[str]], list[list[str]]]:
    """Per token: the features of a unit that starts it, and the few that its other units get.

    Surface, Kiwi tags, morphemes, affixes, spacing, the word classes of the token and its neighbours
    (nearest anchor morphemes in Kiwi's embedding space, see pipeline/train.py), computed once per doc.
    """
    words = [t.text.lower() for t in toks]
    tags = [t.tag for t in toks]
    first = [tg.split("+", 1)[0] for tg in tags]
    cls = []
    for t, f in zip(toks, first, strict=True):
        c = classes.get(class_key(t.lemma.split("+", 1)[0], f))
        cls.append(c if c else ("?", "?") if f in NOMINAL else ("-", "-"))
    n = len(toks)
    full: list[list[str]] = []
    inner: list[list[str]] = []

    def at(seq, i, pad):
        return seq[i] if 0 <= i < n else pad

    for j, t in enumerate(toks):
        w, tg, c = words[j], tags[j], cls[j]
        feats = [
            "w=" + w, "t=" + tg, "wt=" + w + "|" + tg,
            "suf1=" + w[-1:], "suf2=" + w[-2:], "pre1=" + w[:1], "pre2=" + w[:2],
            "len=" + str(min(len(w), 6)),
            "w-1=" + at(words, j - 1, "<s>"), "w+1=" + at(words, j + 1, "</s>"),
            "t-1=" + at(tags, j - 1, "<s>"), "t+1=" + at(tags, j + 1, "</s>"),
            "t-2=" + at(first, j - 2, "<s>"), "t+2=" + at(first, j + 2, "</s>"),
            "t-1t+1=" + at(first, j - 1, "<s>") + "|" + at(first, j + 1, "</s>"),
            "w+1t+1=" + at(words, j + 1, "</s>") + "|" + at(tags, j + 1, "</s>"),
            "w-1t-1=" + at(words, j - 1, "<s>") + "|" + at(tags, j - 1, "<s>"),
            "c=" + c[0], "c2=" + c[1], "ct=" + c[0] + "|" + tg,
            "c-1=" + at(cls, j - 1, ("<s>",))[0], "c+1=" + at(cls, j + 1, ("</s>",))[0],
        ]
        if t.space_after:
            feats.append("sp_after")
        if t.space_before:
            feats.append("sp_before")
        if "+" in tg:
            feats.append("lemma=" + t.lemma)
        full.append(feats)
        inner.append(["in_w=" + w, "in_t=" + tg, "in_c=" + c[0], "in_w+1=" + at(words, j + 1, "</s>")])
    return full, inner


def unit_features(text: str, units: list[Unit], tok_feats: tuple[list[list[str]], list[list[str]]]
                  ) -> list[list[str]]:
    """Features of each unit: its characters, place in the token, neighbouring units, plus its token's features."""
    full, inner = tok_feats
    surf = [text[u.start:u.end].lower() for u in units]
    n = len(units)
    seqs = []
    for i, u in enumerate(units):
        s = surf[i]
        prev = surf[i - 1] if i else "<s>"
        nxt = surf[i + 1] if i + 1 < n else "</s>"
        feats = [
            "u=" + s, "p=" + u.pos, "up=" + s + "|" + u.pos, "sc=" + _script(s[0]),
            "u-1=" + prev, "u+1=" + nxt, "u-1u=" + prev + "|" + s, "uu+1=" + s + "|" + nxt,
            "u-2=" + (surf[i - 2] if i > 1 else "<s>"), "u+2=" + (surf[i + 2] if i + 2 < n else "</s>"),
        ]
        feats.extend(full[u.tok] if u.pos in "SB" else inner[u.tok])
        seqs.append(feats)
    return seqs


def doc_sequences(doc: Doc, classes: dict[str, list[str]]) -> Iterator[tuple[list[Unit], list[list[str]]]]:
    """Each sentence's units with their features, ready for CRFsuite."""
    toks = doc_tokens(doc)
    tok_feats = _token_features(toks, classes)
    text = doc.text
    for units in sentence_units(toks):
        yield units, unit_features(text, units, tok_feats)


def bio_labels(units: list[Unit], spans: Iterable[Span]) -> list[str]:
    """BIO label per unit for gold `spans` (char offsets); a span cutting a unit takes the units it overlaps."""
    labels = ["O"] * len(units)
    for sp in spans:
        inside = [i for i, u in enumerate(units) if u.start < sp.end and u.end > sp.start]
        for k, i in enumerate(inside):
            labels[i] = ("B-" if k == 0 else "I-") + sp.label
    return labels


def decode(text: str, units: list[Unit], tags: list[str], marginal=None) -> list[Span]:
    """Spans from a BIO sequence over units; the score is the lowest per-unit marginal (1.0 without one)."""
    spans: list[Span] = []
    i, n = 0, len(tags)
    while i < n:
        tag = tags[i]
        if tag == "O":
            i += 1
            continue
        label = tag[2:]
        j = i + 1
        while j < n and tags[j] == "I-" + label:
            j += 1
        score = min(marginal(tags[k], k) for k in range(i, j)) if marginal else 1.0
        start, end = units[i].start, units[j - 1].end
        spans.append(Span(start, end, label, text[start:end], SOURCE, round(score, 4)))
        i = j
    return spans


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, recorded in cfg.json so a swapped model file is noticed."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class StatisticalTagger:
    """The `kner_model` component: CRF predictions over units, as char-offset spans in layer "model"."""

    def __init__(self, nlp: Language, name: str = "kner_model", model_path: str | None = None):
        self.name = name
        self.cfg: dict = {}
        self.classes: dict[str, list[str]] = {}
        self._model_bytes: bytes | None = None
        self._tagger = None
        if model_path:
            self.from_disk(model_path)

    def __call__(self, doc: Doc) -> Doc:
        if self._tagger is None:
            raise ModelError(f"[E201] component '{self.name}' has no model: pass model_path or call from_disk(DIR)")
        spans: list[Span] = []
        tagger, text = self._tagger, doc.text
        for units, feats in doc_sequences(doc, self.classes):
            tags = tagger.tag(feats)
            if any(t != "O" for t in tags):
                spans.extend(decode(text, units, tags, tagger.marginal))
        layers.set_layer(doc, LAYER, [s for s in spans if s.label in LABELS])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def load(self, model_bytes: bytes, cfg: dict, classes: dict[str, list[str]]) -> StatisticalTagger:
        """Use a CRFsuite model given as bytes (CRFsuite's own format, never pickle), its cfg and word classes."""
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
        self._tagger, self._model_bytes, self.cfg, self.classes = tagger, model_bytes, dict(cfg), classes
        return self

    def to_disk(self, path, *, exclude=()) -> None:
        """Write model.crfsuite, classes.json and cfg.json (labels, features version, sha256, training metadata)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self._model_bytes is None:
            raise ModelError(f"[E201] component '{self.name}' has no model to save")
        (path / MODEL_FILE).write_bytes(self._model_bytes)
        (path / CLASSES_FILE).write_text(json.dumps(self.classes, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        cfg = dict(self.cfg, sha256=hashlib.sha256(self._model_bytes).hexdigest())
        (path / CFG_FILE).write_text(json.dumps(cfg, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                     encoding="utf-8")

    def from_disk(self, path, *, exclude=()) -> StatisticalTagger:
        """Load a directory written by `to_disk` (the kner_model folder of a model saved by `kner train`)."""
        path = Path(path)
        loaded = []
        for name in (MODEL_FILE, CFG_FILE, CLASSES_FILE):
            if not (path / name).is_file():
                raise ModelError(f"[E204] {path}: no {name}; is this a directory written by `kner train`?")
            if name == MODEL_FILE:
                loaded.append((path / name).read_bytes())
                continue
            try:
                loaded.append(json.loads((path / name).read_text(encoding="utf-8")))
            except json.JSONDecodeError as e:
                raise ModelError(f"[E205] {path / name}: not valid JSON ({e})") from e
        model_bytes, cfg, classes = loaded
        return self.load(model_bytes, cfg, classes)

    def to_bytes(self, *, exclude=()) -> bytes:
        """Model, cfg and classes as one msgpack blob."""
        import srsly

        return srsly.msgpack_dumps({"model": self._model_bytes, "cfg": self.cfg, "classes": self.classes})

    def from_bytes(self, data: bytes, *, exclude=()) -> StatisticalTagger:
        """Inverse of `to_bytes`."""
        import srsly

        msg = srsly.msgpack_loads(data)
        return self.load(msg["model"], msg["cfg"], msg["classes"])


@Language.factory(
    "kner_model",
    assigns=["doc._.kner_layers"],
    default_config={"model_path": None},
)
def make_statistical_tagger(nlp: Language, name: str, model_path: str | None) -> StatisticalTagger:
    """Factory: `nlp.add_pipe("kner_model", config={"model_path": "models/kner-crf"})`."""
    return StatisticalTagger(nlp, name, model_path)


__all__ = ["LABELS", "StatisticalTagger", "Unit", "bio_labels", "decode", "doc_sequences", "sentence_units"]
