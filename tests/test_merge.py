"""The rules+model combination policy of pipeline/merge.py, case by case."""

from __future__ import annotations

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from kner import layers
from kner.merge import combine, non_overlapping
from kner.records import Span

TEXT = "구미시는 구미5공단에서 이차전지 특화단지 사업을 추진한다."


def span(start, end, label, source, score=None):
    """A span of TEXT."""
    return Span(start, end, label, TEXT[start:end], source, score)


def assert_valid(spans):
    """Offsets exact, sorted and never overlapping."""
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end <= b.start
    for s in spans:
        assert TEXT[s.start:s.end] == s.text
        assert s.source in ("rule", "model", "rule+model") and s.score is not None


def test_agreement_becomes_rule_plus_model_with_the_higher_score():
    out = combine([span(0, 3, "ORG", "rule", 0.8)], [span(0, 3, "ORG", "model", 0.95)])
    assert [(s.start, s.end, s.label, s.source, s.score) for s in out] == [(0, 3, "ORG", "rule+model", 0.95)]


def test_label_conflict_on_same_span_keeps_the_rule_label():
    out = combine([span(0, 3, "LOC", "rule", 0.85)], [span(0, 3, "ORG", "model", 0.99)])
    assert [(s.label, s.source, s.score) for s in out] == [("LOC", "rule+model", 0.99)]


def test_overlapping_model_span_with_other_boundaries_is_dropped():
    out = combine([span(5, 10, "LOC", "rule", 0.75)], [span(5, 8, "LOC", "model", 0.99)])
    assert [(s.start, s.end, s.source) for s in out] == [(5, 10, "rule")]
    assert_valid(out)


def test_model_alone_needs_the_minimum_score():
    model = [span(13, 25, "PROGRAM", "model", 0.7), span(0, 3, "ORG", "model", 0.3)]
    out = combine([], model, min_model_score=0.5)
    assert [(s.start, s.end) for s in out] == [(13, 25)]
    assert combine([], model, min_model_score=0.8) == []


def test_rules_alone_are_kept_and_get_a_default_score():
    out = combine([span(0, 3, "ORG", "rule")], [])
    assert out[0].source == "rule" and out[0].score == 1.0


def test_overlaps_inside_one_layer_keep_the_longer_span():
    kept = non_overlapping([span(5, 7, "LOC", "rule", 0.9), span(5, 10, "LOC", "rule", 0.7)])
    assert [(s.start, s.end) for s in kept] == [(5, 10)]


def test_output_never_overlaps():
    rules = [span(0, 3, "ORG", "rule", 0.9), span(5, 10, "LOC", "rule", 0.7), span(5, 7, "LOC", "rule", 0.9)]
    model = [span(0, 4, "ORG", "model", 0.9), span(13, 25, "PROGRAM", "model", 0.9), span(18, 22, "LOC", "model", 0.6)]
    out = combine(rules, model, min_model_score=0.5)
    assert_valid(out)
    assert [(s.start, s.end, s.source) for s in out] == [(0, 3, "rule"), (5, 10, "rule"), (13, 25, "model")]


def test_component_reads_layers_and_writes_final():
    nlp = spacy.blank("xx")
    nlp.add_pipe("kner_merge", config={"min_model_score": 0.5})
    doc = nlp.make_doc(TEXT)
    layers.set_layer(doc, "rules", [span(0, 3, "ORG", "rule", 0.8)])
    layers.set_layer(doc, "model", [span(0, 3, "ORG", "model", 0.9), span(13, 25, "PROGRAM", "model", 0.7)])
    doc = nlp.get_pipe("kner_merge")(doc)
    final = layers.get_layer(doc, layers.FINAL)
    assert [(s.text, s.source) for s in final] == [("구미시", "rule+model"), ("이차전지 특화단지 사업", "model")]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8), st.sampled_from(["ORG", "LOC"])), max_size=30))
def test_non_overlapping_keeps_a_maximal_set_without_overlaps(raw):
    spans = [Span(s, s + n, label, score=0.5) for s, n, label in raw]
    kept = non_overlapping(spans)
    assert all(a.end <= b.start for a, b in zip(kept, kept[1:], strict=False))
    for s in spans:  # every dropped span overlaps a kept one
        assert s in kept or any(s.start < k.end and k.start < s.end for k in kept)


def test_stop_list_vetoes_a_confident_model_span():
    never = [Span(0, 2, "O", "정부")]
    model = [Span(0, 2, "ORG", "정부", "model", 0.99), Span(5, 8, "ORG", "한빛사", "model", 0.99)]
    assert [(s.start, s.end) for s in combine([], model, 0.9, never)] == [(5, 8)]
