"""Synthetic training sentences (pipeline/silver.py): particles, exact offsets, exclusions, determinism."""

from __future__ import annotations

from kner.lexicon import Entry
from kner.silver import particle, read_templates, synthesise

ENTRIES = [
    Entry("구미시", "LOC", "경상북도 구미시", "city"),
    Entry("구미", "LOC", "경상북도 구미시", "city"),
    Entry("창원시", "LOC", "경상남도 창원시", "city"),
    Entry("창원", "LOC", "경상남도 창원시", "city"),
    Entry("한국전력공사", "ORG", "", "agency"),
    Entry("중소벤처기업부", "ORG", "", "ministry"),
    Entry("일본", "LOC", "", "country"),
]


def test_particle_follows_the_final_consonant():
    assert particle("구미시", "는") == "는" and particle("한국전력공사", "은") == "는"
    assert particle("중소벤처기업부", "가") == "가" and particle("창원", "가") == "이"
    assert particle("일본", "를") == "을" and particle("서울", "으로") == "로" and particle("창원", "로") == "으로"
    assert particle("LH", "와") == "와" and particle("구미시", "에서") == "에서"


def test_sentences_have_exact_offsets_and_no_quotes_inside_spans(tmp_path):
    templates = tmp_path / "t.txt"
    templates.write_text("# comment\n{GOV|는} {QPROGRAM|를} {ORG|와} 추진한다.\n{PLACE}에 {SITE|가} 있다.\n",
                         encoding="utf-8")
    assert len(read_templates(templates)) == 2
    records = list(synthesise(ENTRIES, set(), per_template=5, templates=templates))
    assert len(records) == 10
    for rec in records:
        for s in rec.spans:
            assert rec.text[s.start:s.end] == s.text
            assert s.text[0] not in "‘’" and s.text[-1] not in "‘’"
        assert [s.label for s in rec.spans] in (["ORG", "PROGRAM", "ORG"], ["LOC", "LOC"])


def test_excluded_names_never_appear_and_generation_is_seeded(tmp_path):
    templates = tmp_path / "t.txt"
    templates.write_text("{PLACE}에서 {ORG|가} 회의를 열었다.\n", encoding="utf-8")
    records = list(synthesise(ENTRIES, {"일본", "한국전력공사"}, per_template=30, templates=templates))
    names = {s.text for r in records for s in r.spans}
    assert "일본" not in names and "한국전력공사" not in names
    again = list(synthesise(ENTRIES, {"일본", "한국전력공사"}, per_template=30, templates=templates))
    assert [r.text for r in again] == [r.text for r in records]


def test_shipped_templates_parse():
    assert len(read_templates()) >= 40
