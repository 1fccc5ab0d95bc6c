"""The rules+model merge of pipeline/merge.py: candidates, the (un)fitted policy, fitting, saving."""

from __future__ import annotations

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from kner import layers
from kner.merge import Merger, Policy, candidates, combine, fit_policy, non_overlapping
from kner.records import Span

TEXT = "구미시는 구미5공단에서 이차전지 특화단지 사업을 추진한다."


def span(start, end, label, source, score=None, rule=None):
    """A span of TEXT."""
    return Span(start, end, label, TEXT[start:end], source, score, None, rule)


def assert_valid(spans):
    """Offsets exact, sorted and never overlapping."""
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end <= b.start
    for s in spans:
        assert TEXT[s.start:s.end] == s.text
        assert s.source in ("rule", "model", "rule+model") and 0 <= s.score <= 1


def test_candidates_describe_agreement_clashes_and_relations():
    rules = [span(0, 3, "ORG", "rule", 0.8, "gov-acts:admin"), span(5, 10, "LOC", "rule", 0.75, "loc-head")]
    model = [span(0, 3, "LOC", "model", 0.9), span(5, 8, "LOC", "model", 0.6)]
    by_key = {(c.span.start, c.span.end, c.span.label): c.features for c in candidates(rules, model)}
    assert set(by_key) == {(0, 3, "ORG"), (0, 3, "LOC"), (5, 10, "LOC"), (5, 8, "LOC")}
    assert by_key[0, 3, "ORG"]["src=rule"] == 1 and by_key[0, 3, "ORG"]["label_clash|rule"] == 1
    assert by_key[0, 3, "ORG"]["family=gov-acts|ORG"] == 1
    assert by_key[5, 10, "LOC"]["contains1|rule"] == 1 and by_key[5, 8, "LOC"]["inside|model"] == 1
    edges = frozenset({0, 4, 5, 10})
    cut = {(c.span.start, c.span.end): c.features for c in candidates([], model, edges=edges)}
    assert "cut_end|model" in cut[0, 3] and "cut_start|model" not in cut[0, 3]


def test_unfitted_policy_reads_each_taggers_score():
    out = combine([span(0, 3, "ORG", "rule", 0.8)], [span(0, 3, "ORG", "model", 0.95)])
    assert [(s.start, s.end, s.label, s.source) for s in out] == [(0, 3, "ORG", "rule+model")]
    assert out[0].score > 0.95  # both taggers agree: their log-odds add up
    low = combine([], [span(13, 25, "PROGRAM", "model", 0.3)])
    assert low == []  # below the threshold of 0.5


def test_rules_only_pipeline_keeps_every_rule_span():
    rules = [span(0, 3, "ORG", "rule", 0.8), span(5, 10, "LOC", "rule", 0.65), span(13, 25, "PROGRAM", "rule")]
    out = combine(rules, [])
    assert [(s.start, s.end, s.source) for s in out] == [(0, 3, "rule"), (5, 10, "rule"), (13, 25, "rule")]
    assert_valid(out)


def test_a_more_probable_candidate_wins_an_overlap():
    policy = Policy({"src=model": 2.0, "src=rule": -2.0}, 0.0, 0.5)
    out = combine([span(5, 10, "LOC", "rule", 0.75)], [span(5, 8, "LOC", "model", 0.99)], policy)
    assert [(s.start, s.end, s.source) for s in out] == [(5, 8, "model")]


def test_text_that_is_never_a_name_vetoes_candidates_on_or_inside_it():
    never = [Span(0, 2, "O", "정부"), Span(20, 52, "O", "459ad4feb4f7fbf4b91a02c7b1a91a50")]
    model = [Span(0, 2, "ORG", "정부", "model", 0.99), Span(5, 8, "ORG", "한빛사", "model", 0.99),
             Span(23, 45, "LOC", "ad4feb4f7fbf4b91a02c7b", "model", 0.99)]
    rules = [Span(10, 14, "LOC", "경남도청", "rule", 0.9, None, "gov-office")]
    policy = Policy({"model_logit": 1.0, "rule_logit": 1.0}, 0.0, 0.5)
    assert [(s.start, s.end) for s in combine(rules, model, policy, never)] == [(5, 8), (10, 14)]


def test_fit_policy_learns_which_source_to_trust():
    # in these dev documents the rule's span is always right and the model's conflicting one never
    examples = []
    for k in range(40):
        rules = [span(5, 10, "LOC", "rule", 0.75, "loc-head")]
        model = [span(5, 8, "LOC", "model", 0.9), span(13, 25, "PROGRAM", "model", 0.6 + (k % 4) / 10)]
        gold = {(5, 10, "LOC")} | ({(13, 25, "PROGRAM")} if k % 4 >= 2 else set())
        examples.append((candidates(rules, model), gold))
    policy, report = fit_policy(examples)
    out = combine([span(5, 10, "LOC", "rule", 0.75, "loc-head")], [span(5, 8, "LOC", "model", 0.9)], policy)
    assert [(s.start, s.end) for s in out] == [(5, 10)]
    assert report["family_precision"]["family=loc-head|LOC"] == [40, 40, 1.0]
    assert 0 < report["dev_f1"] <= 1 and 0.2 <= policy.threshold <= 0.8


def test_component_reads_layers_writes_final_and_saves_its_policy(tmp_path):
    nlp = spacy.blank("xx")
    merger = nlp.add_pipe("kner_merge")
    doc = nlp.make_doc(TEXT)
    layers.set_layer(doc, "rules", [span(0, 3, "ORG", "rule", 0.8)])
    layers.set_layer(doc, "model", [span(0, 3, "ORG", "model", 0.9), span(13, 25, "PROGRAM", "model", 0.7)])
    final = layers.get_layer(merger(doc), layers.FINAL)
    assert [(s.text, s.source) for s in final] == [("구미시", "rule+model"), ("이차전지 특화단지 사업", "model")]
    merger.policy = Policy({"src=model": -5.0}, 0.0, 0.4)
    merger.report = {"dev_f1": 0.5}
    merger.to_disk(tmp_path)
    loaded = Merger("kner_merge").from_disk(tmp_path)
    assert loaded.policy == merger.policy and loaded.report == {"dev_f1": 0.5}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8), st.sampled_from(["ORG", "LOC"])), max_size=30))
def test_non_overlapping_keeps_a_maximal_set_without_overlaps(raw):
    spans = [Span(s, s + n, label, score=0.5) for s, n, label in raw]
    kept = non_overlapping(spans)
    assert all(a.end <= b.start for a, b in zip(kept, kept[1:], strict=False))
    for s in spans:  # every dropped span overlaps a kept one
        assert s in kept or any(s.start < k.end and k.start < s.end for k in kept)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 25), st.integers(1, 8), st.sampled_from(["ORG", "LOC", "PROGRAM"]),
                          st.sampled_from(["rule", "model"]), st.floats(0.01, 0.99)), max_size=20),
       st.dictionaries(st.sampled_from(["src=rule", "src=model", "src=both", "model_logit", "rule_logit",
                                        "contains1|model", "inside|rule"]), st.floats(-3, 3), max_size=5))
def test_merged_output_never_overlaps_and_keeps_exact_offsets(raw, weights):
    spans = [span(s, min(s + n, len(TEXT)), label, src, score) for s, n, label, src, score in raw]
    out = combine([s for s in spans if s.source == "rule"], [s for s in spans if s.source == "model"],
                  Policy(weights, 0.0, 0.5))
    assert_valid(out)
