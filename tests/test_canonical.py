"""Canonical names and provinces on the final spans (pipeline/canonical.py): keys, lexicon names, regions."""

from __future__ import annotations

import pytest
from kner.canonical import Canonicaliser, ProvinceFinder, name_key
from kner.lexicon import Entry
from kner.records import Span

ENTRIES = [
    Entry("충청북도", "ORG", "충청북도", "province"), Entry("충북", "ORG", "충청북도", "province"),
    Entry("청주", "LOC", "충청북도 청주시", "city"), Entry("중구", "LOC", "", "district"),
    Entry("경기", "LOC", "경기도", "province", "nnp"),
    Entry("소부장 특화단지", "PROGRAM", "소재·부품·장비 특화단지", "zone-designation"),
    Entry("경남TP", "ORG", "경남테크노파크", "technopark"),
    Entry("오창읍", "LOC", "충청북도 청주시 오창읍", "town"),
]


@pytest.fixture(scope="module")
def fill():
    return Canonicaliser(ENTRIES)


def span(text, label, canonical=None):
    return Span(0, len(text), label, text, "model", 0.9, canonical)


def test_name_key_folds_spacing_dots_brackets_and_legal_forms():
    assert name_key("소부장특화단지") == name_key("소부장 특화단지") == name_key("‘소부장’ 특화단지")
    assert name_key("㈜월덱스") == name_key("(주)월덱스") == name_key("주식회사 월덱스") == "월덱스"
    assert name_key("소재·부품·장비") == name_key("소재ㆍ부품ㆍ장비")


def test_every_span_gets_a_canonical_name(fill):
    assert fill(span("소부장특화단지", "PROGRAM")).canonical == "소재·부품·장비 특화단지"  # a variant of a term
    assert fill(span("경남TP", "ORG")).canonical == "경남테크노파크"
    assert fill(span("스마트 물류 실증 사업", "PROGRAM")).canonical == "스마트물류실증사업"  # unknown: its key
    assert fill(span("충북", "ORG", canonical="충청북도 (rule)")).canonical == "충청북도 (rule)"  # a rule's stays


def test_places_and_local_governments_carry_their_province(fill):
    assert fill(span("청주", "LOC")).region == "충청북도"
    assert fill(span("청주 그랜드플라자 호텔", "LOC")).region == "충청북도"  # a place named after a city
    assert fill(span("오창읍", "LOC")).region == "충청북도"
    assert fill(span("충북", "ORG")).region == "충청북도"  # a local government acting
    assert fill(span("충북테크노파크", "ORG")).region is None  # an organisation is not a local government
    assert fill(span("중구", "LOC")).region is None  # shared by several cities
    assert fill(span("경기침체", "LOC")).region is None  # a common word never starts a longer name
    assert fill(span("소부장 특화단지", "PROGRAM")).region is None


def test_province_finder_prefers_a_given_region():
    finder = ProvinceFinder.from_entries(ENTRIES)
    assert finder("충청북도", None, "anything") == "충청북도"
    assert finder(None, None, "Cheongju") == ""


def test_the_pipeline_writes_canonical_and_region_on_every_span():
    from kner.nlp import load

    nlp = load("rules")
    doc = nlp("충북도는 청주 오창읍에서 ‘소부장 특화단지’ 사업을 추진한다.")
    spans = [(e.text, e._.canonical, e._.region) for e in doc.ents]
    assert ("충북도", "충청북도", "충청북도") in spans and ("오창읍", spans[2][1], "충청북도") in spans
    assert all(canonical for _, canonical, _ in spans)


def test_load_annotations_has_canonical_and_region_columns(tmp_path):
    import json

    from kner.frames import load_annotations

    rec = {"id": "a", "text": "청주 소부장", "spans": [
        {"start": 0, "end": 2, "label": "LOC", "canonical": "충청북도 청주시", "region": "충청북도"},
        {"start": 3, "end": 6, "label": "PROGRAM", "canonical": "소부장"}]}
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    df = load_annotations(path)
    assert list(df["canonical"]) == ["충청북도 청주시", "소부장"]
    assert df["region"].tolist()[0] == "충청북도" and df["region"].isna().tolist()[1]



def test_a_user_lexicon_that_renames_a_known_term_takes_effect_at_once(tmp_path):
    """Re-defining a term the lexicon has leaves its size unchanged; the canonical names still follow it."""
    from kner.nlp import load

    nlp = load("rules")
    rules, names = nlp.get_pipe("kner_rules"), nlp.get_pipe("kner_canonical")
    variant = span("경남 테크노파크", "ORG")  # as the model would give it: no canonical of its own
    assert names.canonicaliser()(variant).canonical != "경남TP (사용자)"
    size = len(rules.lexicon)
    user = tmp_path / "user.tsv"
    user.write_text("term\tlabel\tcanonical\tkind\tcheck\n경남테크노파크\tORG\t경남TP (사용자)\ttechnopark\t\n",
                    encoding="utf-8")
    rules.add_lexicon(user)
    assert len(rules.lexicon) == size
    assert names.canonicaliser()(variant).canonical == "경남TP (사용자)"
