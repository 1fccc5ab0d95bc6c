"""spaCy-native output: the final kner spans as `doc.ents` and `doc.spans["kner"]`, for displaCy and spaCy's tools.

The `kner_ents` component runs last. It reads the final layer (`layers.FINAL`, the spans `kner annotate` writes),
cuts Kiwi tokens where a span edge falls inside one (㈜월덱스 in 월덱스와, 대전시 in 대전시장) with spaCy's
retokenizer, and sets `doc.ents` (label, `kb_id_` = canonical name) and the span group `doc.spans["kner"]`, whose
spans carry `span._.source`, `span._.score`, `span._.canonical`, `span._.rule` and `span._.region` (also on
`doc.ents`) and whose `attrs["scores"]` lists the scores as spaCy's spancat does. A cut part keeps the tag of the
token it came from; the tokenizer's own rows stay available (`tokenize.tokenizer_rows`), so
`kner annotate --tokens` is unchanged.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import pairwise

from spacy.language import Language
from spacy.scorer import get_ner_prf
from spacy.tokens import Doc, Span, SpanGroup

from . import layers
from .records import Span as KnerSpan
from .tokenize import KiwiToken, doc_text, doc_tokens, keep_tokenizer_rows

SPANS_KEY = "kner"
SPAN_ATTRS = ("source", "score", "canonical", "rule", "region")  # the record's span keys, as span._.<key>

for _attr in SPAN_ATTRS:
    if not Span.has_extension(_attr):
        Span.set_extension(_attr, default=None)


class EntsError(ValueError):
    """A final span that cannot become a spaCy entity (it should not happen: the tagger's spans are checked)."""


def inner_edges(rows: Sequence[KiwiToken], spans: Iterable[KnerSpan]) -> dict[int, list[int]]:
    """Token index -> the span edges strictly inside that token, sorted: where the token has to be cut."""
    starts = [r.start for r in rows]
    cuts: dict[int, set[int]] = {}
    for s in spans:
        for edge in (s.start, s.end):
            i = bisect_right(starts, edge) - 1
            if i >= 0 and rows[i].start < edge < rows[i].end:
                cuts.setdefault(i, set()).add(edge)
    return {i: sorted(edges) for i, edges in cuts.items()}


def cut_row(text: str, row: KiwiToken, edges: Sequence[int]) -> list[KiwiToken]:
    """`row` cut at `edges`: each part keeps the row's tag, its lemma is its text; the first starts a sentence if
    the row did, the last keeps the row's trailing space."""
    parts = []
    for a, b in pairwise((row.start, *edges, row.end)):
        surface = text[a:b]
        parts.append(KiwiToken(a, b, row.tag, row.space and b == row.end, surface,
                               row.sent_start and a == row.start, ((surface, row.tag),)))
    return parts


def cut_at_span_edges(doc: Doc, spans: Sequence[KnerSpan]) -> int:
    """Split every token a span edge falls inside (retokenizer), keeping the Kiwi rows in step; returns how many."""
    rows = doc_tokens(doc)
    cuts = inner_edges(rows, spans)
    if not cuts:
        return 0
    text = doc_text(doc)
    keep_tokenizer_rows(doc, rows)
    new_rows = list(rows)
    with doc.retokenize() as retokenizer:
        for i in sorted(cuts, reverse=True):  # replacing rows from the end keeps the earlier indices valid
            parts = cut_row(text, rows[i], cuts[i])
            token = doc[i]
            retokenizer.split(token, [p.lemma for p in parts], heads=[(token, k) for k in range(len(parts))],
                              attrs={"TAG": [p.tag for p in parts], "LEMMA": [p.lemma for p in parts]})
            new_rows[i:i + 1] = parts
    doc._.kiwi_tokens = new_rows
    return len(cuts)


def entity(doc: Doc, s: KnerSpan) -> Span:
    """The spaCy span of `s` (token edges already cut), with label, kb_id = canonical and the span attributes."""
    ent = doc.char_span(s.start, s.end, label=s.label, kb_id=s.canonical or "")
    if ent is None:
        raise EntsError(f"[E003] span {s.text!r} [{s.start}, {s.end}) {s.label} does not fall on token edges "
                        "even after cutting; please report this with the text")
    for attr in SPAN_ATTRS:
        value = getattr(s, attr)
        if value is not None:
            ent._.set(attr, value)
    return ent


def _clear_span_attrs(doc: Doc) -> None:
    """Drop span attribute values of an earlier run, so running the component twice leaves no stale values."""
    stale = [k for k in doc.user_data if isinstance(k, tuple) and len(k) == 4 and k[0] == "._." and k[1] in SPAN_ATTRS]
    for key in stale:
        del doc.user_data[key]


class SpacyEnts:
    """The `kner_ents` component: the final layer as `doc.ents` and `doc.spans[spans_key]`."""

    def __init__(self, name: str, spans_key: str):
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        spans = layers.get_layer(doc, layers.FINAL)
        cut_at_span_edges(doc, spans)
        _clear_span_attrs(doc)
        ents = [entity(doc, s) for s in spans]
        doc.set_ents(ents, default="outside")
        doc.spans[self.spans_key] = SpanGroup(doc, name=self.spans_key, spans=ents,
                                              attrs={"scores": [s.score for s in spans]})
        return doc

    def score(self, examples, **kwargs) -> dict:
        """Entity P/R/F as spaCy's NER scores them (`nlp.evaluate`, `spacy evaluate`)."""
        return get_ner_prf(examples, **kwargs)


@Language.factory(
    "kner_ents",
    assigns=["doc.ents", "doc.spans", "token.ent_iob", "token.ent_type"],
    requires=["doc._.kner_layers"],
    default_config={"spans_key": SPANS_KEY},
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_spacy_ents(nlp: Language, name: str, spans_key: str) -> SpacyEnts:
    """Factory: runs last, after `kner_merge`; `spans_key` names the span group (default "kner")."""
    return SpacyEnts(name, spans_key)
