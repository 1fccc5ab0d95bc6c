"""The rule tagger on short sentences written for these tests: labels, boundaries, metonymy, user lexicons."""

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kner import rules  # registers kner_rules
from kner.layers import get_layer
from kner.nlp import blank


@pytest.fixture(scope="module")
def nlp():
    nlp = blank()
    nlp.add_pipe("kner_rules")
    return nlp


def spans(nlp, text):
    """(text, label) of each rule span, checking that offsets are exact."""
    doc = nlp(text)
    out = []
    for s in get_layer(doc, "rules"):
        assert text[s.start:s.end] == s.text and s.source == "rule" and s.rule and 0 < s.score <= 1
        out.append((s.text, s.label))
    return out


def test_short_form_with_canonical(nlp):
    doc = nlp("충북의 반도체 기업이 늘었다.")
    [s] = get_layer(doc, "rules")
    assert (s.text, s.label, s.canonical, s.rule) == ("충북", "LOC", "충청북도", "gov-territory:admin")


@pytest.mark.parametrize("text, expected", [
    ("경남도는 5일 투자 설명회를 열었다.", ("경남도", "ORG")),  # acts
    ("경남에 새 공장이 들어선다.", ("경남", "LOC")),  # territory
    ("김해시가 올해 예산을 늘렸다.", ("김해시", "ORG")),
    ("김해시의 인구가 줄었다.", ("김해시", "LOC")),  # what a territory has (rule 10)
    ("경남도의 정책이 바뀌었다.", ("경남도", "ORG")),  # what a government does
    ("경남도 관계자는 말했다.", ("경남도", "ORG")),
    ("박철수 김해시장은 축사를 했다.", ("김해시", "ORG")),  # title glued to the name (rule 11)
    ("전남지사가 방문했다.", ("전남", "ORG")),
    ("포항시의회는 조례를 심사했다.", ("포항시의회", "ORG")),
    ("충남도청에서 회의가 열렸다.", ("충남도청", "LOC")),  # an office building (rule 18)
])
def test_metonymy_by_sentence(nlp, text, expected):
    assert expected in spans(nlp, text)


def test_romanised_names_in_english_translations(nlp):
    assert ("Gyeongnam Province", "ORG") in spans(nlp, "Gyeongnam Province announced a new plan.")
    assert ("Gyeongnam", "LOC") in spans(nlp, "Factories in Gyeongnam grew.")
    found = spans(nlp, "a plant in Yulchon 1 Industrial Complex, and more")  # a number is no name word
    assert all(surface == surface.strip() for surface, _ in found)


def test_boundaries_inside_one_kiwi_token(nlp):
    found = spans(nlp, "㈜한빛소재와 ㈜동해정밀은 계약을 맺었다.")
    assert ("㈜한빛소재", "ORG") in found and ("㈜동해정밀", "ORG") in found


def test_quotes_and_particles_are_not_in_spans(nlp):
    assert spans(nlp, "시는 ‘스마트공장 고도화 지원사업’을 신청받는다.") == [("스마트공장 고도화 지원사업", "PROGRAM")]
    assert ("수출바우처", "PROGRAM") in spans(nlp, "도는 ‘수출바우처’ 사업을 연다.")  # rule 16


@pytest.mark.parametrize("text, expected", [
    ("기관은 ‘2026년 수출바우처 지원사업’ 공고를 냈다.", "2026년 수출바우처 지원사업"),  # the year is in the title
    ("시는 2026년 수소도시 조성사업을 추진한다.", "수소도시 조성사업"),  # here it is when, not a name
    ("시는 ‘김해시 의료기기 산업 육성계획’을 발표했다.", "김해시 의료기기 산업 육성계획"),  # place belongs to it
    ("정부는 반도체(소재·부품) 특화단지를 지정했다.", "반도체(소재·부품) 특화단지"),  # brackets inside (rule 14)
    ("도는 청년 창업 펀드를 만든다.", "청년 창업 펀드"),
])
def test_program_heads_with_modifiers(nlp, text, expected):
    assert (expected, "PROGRAM") in spans(nlp, text)


@pytest.mark.parametrize("text", [
    "정부는 기업 지원사업을 늘렸다.",  # generic (rule 15)
    "이번 협의회에서 논의했다.",
    "예산을 강화할 계획이다.",
    "「중소기업 진흥 특별법」을 고쳤다.",  # laws are opaque (rule 17)
    "경기 침체가 길어졌다.",  # 경기 only as a proper noun
])
def test_not_names(nlp, text):
    assert spans(nlp, text) == []


def test_organisation_and_place_heads(nlp):
    found = spans(nlp, "경남스마트제조혁신센터(GSIC)는 구미5공단에서 설명회를 열었다.")
    assert ("경남스마트제조혁신센터", "ORG") in found and ("GSIC", "ORG") in found  # rule 6
    assert ("구미5공단", "LOC") in found
    found = spans(nlp, "행사는 김해 가야컨벤션 호텔에서 열렸다. 맑음진주21.5℃")
    assert ("김해 가야컨벤션 호텔", "LOC") in found and ("진주", "LOC") in found
    weather = spans(nlp, "맑음청주 24.1℃ 구름많음세종 23.5℃ 흐림충주 -2.0℃")
    assert weather == [("청주", "LOC"), ("세종", "LOC"), ("충주", "LOC")]
    assert spans(nlp, "군산 구름많음 10.4℃ / 광양 구름조금 15.1℃") == [("군산", "LOC"), ("광양", "LOC")]  # not 많음


def test_person_before_organisation_and_title(nlp):
    found = spans(nlp, "이정민 한빛산업진흥재단 이사장은 말했다.")
    assert ("한빛산업진흥재단", "ORG") in found


def test_user_lexicon_by_method_and_by_config(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text("term\tlabel\tcanonical\tkind\tcheck\n세코\tLOC\t창원컨벤션센터\tvenue\t\n"
                    "청년펀드\tPROGRAM\t\tprogram\t\n경남\tO\t\tgeneric\t\n", encoding="utf-8")
    text = "경남 세코에서 청년펀드 설명회가 열렸다."
    nlp = blank()
    tagger = nlp.add_pipe("kner_rules")
    assert ("경남", "LOC") in spans(nlp, text)
    assert tagger.add_lexicon(path) == 3
    doc = nlp(text)
    got = {(s.text, s.label, s.canonical, s.rule) for s in get_layer(doc, "rules")}
    assert got == {("세코", "LOC", "창원컨벤션센터", "lexicon:mine"), ("청년펀드", "PROGRAM", None, "lexicon:mine")}
    nlp2 = blank()
    nlp2.add_pipe("kner_rules", config={"lexicons": [str(path)]})
    assert get_layer(nlp2(text), "rules") == get_layer(doc, "rules")


def test_serialisation_round_trips(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text("term\tlabel\tcanonical\tkind\tcheck\n한빛홀\tLOC\t\tvenue\t\n", encoding="utf-8")
    nlp = blank()
    nlp.add_pipe("kner_rules").add_lexicon(path)
    text = "충북도는 한빛홀에서 ‘2026년 수출바우처 지원사업’ 설명회를 열었다. 재료연과 경남TP도 참석했다."
    expected = get_layer(nlp(text), "rules")
    assert len(expected) == 5
    nlp.to_disk(tmp_path / "model")
    path.unlink()  # the saved pipeline must not need the user's file
    loaded = spacy.load(tmp_path / "model", config={"components": {"kner_rules": {"lexicons": []}}})
    assert get_layer(loaded(text), "rules") == expected
    other = blank()
    other.add_pipe("kner_rules", config={"builtin": False}).from_bytes(nlp.get_pipe("kner_rules").to_bytes())
    assert get_layer(other(text), "rules") == expected


def test_offsets_exact_on_every_span_of_the_seed_texts(nlp):
    from pathlib import Path

    for path in sorted(Path(__file__).resolve().parent.parent.glob("seeds/*.txt")):
        text = path.read_text(encoding="utf-8")
        doc = nlp(text)
        assert doc.text == text
        layer = get_layer(doc, "rules")
        assert layer and all(text[s.start:s.end] == s.text and s.text.strip() == s.text for s in layer)
        assert all(a.end <= b.start for a, b in zip(layer, layer[1:], strict=False))  # no overlaps (rule 5)


PIECES = ["충북도", "구미시", "는 ", "의 ", "와 ", "㈜", "한빛", "센터", "지원사업", "‘", "’", "(", ")", " ", "\n",
          "2025년 ", "특화단지", "협의회", "재료연", "Chungbuk ", "Province ", "맑음", "21.5℃", "·", "시장", "에서 ",
          '"', "'", "며 ", "사업"]


@given(st.lists(st.sampled_from(PIECES), max_size=25))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_offsets_exact_on_random_text(nlp, pieces):
    text = "".join(pieces)
    layer = get_layer(nlp(text), "rules")
    assert all(0 <= s.start < s.end <= len(text) and text[s.start:s.end] == s.text == s.text.strip() for s in layer)
    assert all(a.end <= b.start for a, b in zip(layer, layer[1:], strict=False))


def test_file_hashes_and_ids_are_never_names(nlp):
    text = "경남도는 협약을 맺었다. 459ad4feb4f7fbf4b91a02c7b1a91a50_1630939191_6818.jpg Changwon2024"
    never = get_layer(nlp(text), "never")
    assert [s.text for s in never if s.rule == "id-string"] == ["459ad4feb4f7fbf4b91a02c7b1a91a50"]
    assert spans(nlp, text) == [("경남도", "ORG")]


def test_quoted_law_titles_are_never_names_nor_hold_any(nlp):
    text = "시는 「새솔시 수소산업 진흥 조례」를 고치고 「2026년 새솔시 정책자금 융자계획」을 냈다."
    never = [s.text for s in get_layer(nlp(text), "never") if s.rule == "law-title"]
    assert never == ["「새솔시 수소산업 진흥 조례」"]  # a plan in 「…」 is no law


def test_lowercase_words_of_english_prose_are_never_names(nlp):
    text = "Chungbuk is the center of the industry in name and reality. In addition, he said. 머니투데이 thebell 보도."
    never = [s.text for s in get_layer(nlp(text), "never") if s.rule == "english-word"]
    assert "name" in never and "addition" in never
    assert "thebell" not in never  # a lowercase brand in Korean text is left to the taggers


def test_straight_quotes_closing_and_opening_are_not_a_quoted_name(nlp):
    text = '관계자는 "일감이 줄어든다"며 "사업 전환을 못 하면 폐업으로 이어진다"고 말했다.'
    assert all(label != "PROGRAM" for _, label in spans(nlp, text))
    assert ("수출바우처", "PROGRAM") in spans(nlp, '도는 "수출바우처" 사업을 연다.')


def test_company_mark_after_the_name_is_found_from_the_run_start(nlp):
    found = spans(nlp, "협약에는 한빛소재㈜와 대성정밀(주)이 참여했다.")
    assert ("한빛소재㈜", "ORG") in found and ("대성정밀(주)", "ORG") in found


@pytest.mark.parametrize("text, expected", [
    ("【인천=한빛뉴스】김민수 기자 = 새 공장이 들어선다.", [("인천", "LOC"), ("한빛뉴스", "ORG")]),  # place and outlet
    ("【충북 새솔뉴스】임창용 기자=공장이 섰다.", [("충북 새솔뉴스", "ORG")]),
    ("[새솔일보 박은지 기자] 공장이 섰다.", [("새솔일보", "ORG")]),  # the reporter is not part of it
    ("[새솔뉴스= 기자] 공장이 섰다.", [("새솔뉴스", "ORG")]),
    ("[새솔일보] 2025년 10월 14일 화요일", [("새솔일보", "ORG")]),  # a bare [X] that reads as an outlet
    ("[주말 임장기] 공장 소식", []),  # a bare [X] that does not: a blog's title
    ("[새솔캐치] 대전 제조업의 근간", []),  # one word that does not read as an outlet: a section tag like [자막]
    ("【붙임】 1. 투자협약 체결 기업", []),
    ("[새솔일보 인천=김민수 기자] 공장이 섰다.", [("새솔일보", "ORG"), ("인천", "LOC")]),  # outlet, then dateline
    ("<저작권자 © 새솔일보, 무단전재 및 재배포 금지>", [("새솔일보", "ORG")]),  # copyright lines
    ("ⓒ 2025 한빛뉴스. All rights reserved.", [("한빛뉴스", "ORG")]),
    ("Copyright © 새솔의소리 All rights reserved", [("새솔의소리", "ORG")]),
    ("저작권자 © 새솔일보 온라인판 무단전재 금지", [("새솔일보", "ORG")]),  # the first word when it is an outlet
    ("<저작권자 © 무단전재 및 재배포 금지>", []),
    ("<저작권자ⓒ 공감언론 새솔통신사. 무단전재 금지.>", [("새솔통신사", "ORG")]),  # a slogan before the outlet
    ("© 충북 새솔뉴스, 무단전재 금지", [("충북 새솔뉴스", "ORG")]),  # a place before it belongs to it
    ("ⓒ 새솔일보 김민수 기자 무단 전재 금지", [("새솔일보", "ORG")]),  # a photo credit: not the reporter
    ("Copyright © DAEGU HANBIT NEWS. All rights reserved.", [("DAEGU HANBIT NEWS", "ORG")]),
    ("[새솔일보 | 김민수 기자] 공장이 섰다.", [("새솔일보", "ORG")]),  # no separator in the name
    ("[많이 본 뉴스] 1. 공장이 섰다", []),  # a section tag that ends like an outlet
    ("[로그인] [회원가입]", []),
    ("출처: 새솔일보 / 한빛뉴스\n", [("새솔일보", "ORG"), ("한빛뉴스", "ORG")]),  # each source its own
    ("출처: 어느 기관 보도자료\n", []),  # a source that is no outlet is left to the other rules
])
def test_bylines_and_source_lines_name_outlets(nlp, text, expected):
    assert [s for s in spans(nlp, text) if s[1] == "ORG" or s[0] == "인천"] == expected


GUARDED = ["한빛", "소재", "㈜", "(주)", "(주", "주식회사 ", "주식", "Korea ", "Council", "Agency ", "of ", "Plan",
           "Planet", "Industrial ", "Complex", "R&D ", "2025 ", " ", "\n", "와 ", "©", "ⓒ", "Copyright ", "저작권자",
           "일보", ", "]


@given(st.lists(st.sampled_from(GUARDED), max_size=12))
@settings(max_examples=200, deadline=None)
def test_regex_guards_skip_only_texts_without_a_match(pieces):
    text = "".join(pieces)
    assert not rules.COMPANY.search(text) or any(mark in text for mark in rules.COMPANY_MARKS)
    assert not rules.COPYRIGHT.search(text) or any(mark in text for mark in rules.COPYRIGHT_MARKS)
    assert not rules.ENGLISH.search(text) or rules.EN_HEAD.search(text)
