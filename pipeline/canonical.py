"""Canonical names and provinces for the final spans, so variants count together and places roll up to provinces.

Every span gets `canonical`: the lexicon's full name when the rule tagger knew one, else the lexicon's name for a
term with the same key, else the key itself (`name_key`: NFKC, case-folded, without spaces, middle dots, brackets
and legal-form marks), so 소부장특화단지 and 소부장 특화단지 count as one. Places (LOC) and local governments (ORG
spans that are an admin-lexicon name) also get `region`, their province (`ProvinceFinder`). The `kner_canonical`
component does this after the merge; `kner report` uses the same functions for files written without them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from . import layers
from .lexicon import Entry, read_lexicon
from .records import Span
from .resources import LEXICONS

NO_PROVINCE = ""
MAX_CACHE = 100_000  # names a ProvinceFinder remembers before it starts afresh: memory stays bounded on any archive
LEGAL = re.compile(r"\((?:주|사|재|유|합)\)|주식회사|유한회사|재단법인|사단법인")  # after NFKC: ㈜ -> (주)
# What a name keeps out of its key: spaces, middle dots and brackets (소재·부장 = 소재부장).
NOISE = re.compile(r"[\s·‧・･ㆍᆞ∙•()\[\]{}<>「」『』《》〈〉【】〔〕'\"‘’“”]")  # ㆍ is ᆞ after NFKC


def name_key(name: str) -> str:
    """The key names are grouped by: NFKC, case-folded, without legal-form marks, spaces, middle dots, brackets."""
    key = NOISE.sub("", LEGAL.sub("", unicodedata.normalize("NFKC", name).casefold()))
    return key or name


class ProvinceFinder:
    """The province (도 or 광역시) a name is about: the admin lexicon name it is, or (for places) starts with."""

    def __init__(self, exact: dict[str, str], prefixes: dict[str, str]):
        self.exact = exact  # name_key of a term or canonical name -> province
        self.prefixes = prefixes  # term a longer name may start with -> province
        self.lengths = sorted({len(t) for t in prefixes}, reverse=True)
        self._cache: dict[tuple[str | None, str | None, str, bool], str] = {}

    @classmethod
    def from_entries(cls, entries: Iterable[Entry]) -> ProvinceFinder:
        """From admin-lexicon entries, whose canonical name starts with the province (충청북도 청주시 -> 충청북도).

        Shared short forms (canonical left empty, e.g. 중구) give no province; terms that are also common words
        (check=nnp, e.g. 경기 "economy") count only as the whole name, never as the start of a longer one.
        """
        exact: dict[str, str] = {}
        prefixes: dict[str, str] = {}
        for e in entries:
            if not e.canonical:
                continue
            province = e.canonical.split()[0]
            for name in (e.term, e.canonical, province):
                exact.setdefault(name_key(name), province)
            if not e.check and len(e.term) >= 2:
                prefixes[e.term] = province
        return cls(exact, prefixes)

    @classmethod
    def from_lexicon(cls) -> ProvinceFinder:
        """From the shipped admin lexicon."""
        return cls.from_entries(read_lexicon(LEXICONS / "admin.tsv"))

    def __call__(self, region: str | None, canonical: str | None, surface: str, prefix: bool = True) -> str:
        """The province name, or NO_PROVINCE; with `prefix`, a name may also start with an admin name
        (청주 그랜드플라자 호텔 -> 충청북도)."""
        key = (region, canonical, surface, prefix)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) >= MAX_CACHE:
                self._cache.clear()
            found = self._cache[key] = self._find(region, canonical, surface, prefix)
        return found

    def _find(self, region: str | None, canonical: str | None, surface: str, prefix: bool) -> str:
        if region:
            return self.exact.get(name_key(region)) or region.split()[0]
        for name in (canonical, surface):
            province = self.exact.get(name_key(name)) if name else None
            if province:
                return province
        for n in self.lengths if prefix else ():
            province = self.prefixes.get(surface[:n])
            # a Latin term must end at a word boundary (Chungbuk Province, not Chungbukdo Inc.)
            if province and not (surface[n - 1:n].isascii() and surface[n:n + 1].isalpha()):
                return province
        return NO_PROVINCE


class Canonicaliser:
    """Fills `canonical` and `region` of final spans from the rule tagger's lexicon."""

    def __init__(self, entries: Iterable[Entry], provinces: ProvinceFinder | None = None):
        entries = list(entries)
        self.by_key = {name_key(e.term): e.canonical for e in entries if e.canonical and e.label != "O"}
        self.provinces = provinces or ProvinceFinder.from_entries(e for e in entries if e.is_gov or e.kind == "town")

    def __call__(self, span: Span) -> Span:
        key = name_key(span.text)
        canonical = span.canonical or self.by_key.get(key) or key
        region = NO_PROVINCE
        if span.label == "LOC":
            region = self.provinces(None, canonical, span.text)
        elif span.label == "ORG":  # a local government acting: exactly an admin name
            region = self.provinces(None, canonical, span.text, prefix=False)
        return replace(span, canonical=canonical, region=region or None)


class CanonicalNames:
    """The `kner_canonical` component: canonical names and provinces on the final layer (after `kner_merge`)."""

    def __init__(self, nlp: Language, name: str):
        self.nlp = nlp
        self.name = name
        self._made_for: tuple[int, int] | None = None  # (lexicon, its revision) it was built from
        self._canonicaliser: Canonicaliser | None = None

    def canonicaliser(self) -> Canonicaliser:
        """Built from the rule tagger's lexicon (rebuilt when a user lexicon was added since)."""
        lexicon = self.nlp.get_pipe("kner_rules").lexicon
        made_for = (id(lexicon), lexicon.revision)
        if self._canonicaliser is None or self._made_for != made_for:
            self._canonicaliser, self._made_for = Canonicaliser(lexicon), made_for
        return self._canonicaliser

    def __call__(self, doc: Doc) -> Doc:
        fill = self.canonicaliser()
        layers.set_layer(doc, layers.FINAL, [fill(s) for s in layers.get_layer(doc, layers.FINAL)])
        return doc


@Language.factory("kner_canonical", assigns=["doc._.kner_layers"])
def make_canonical(nlp: Language, name: str) -> CanonicalNames:
    """Factory: reads the lexicon of the pipeline's `kner_rules`."""
    return CanonicalNames(nlp, name)
