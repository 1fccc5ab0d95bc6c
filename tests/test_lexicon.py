"""Lexicon files: format, errors that name file and line, overrides, and the shipped lexicons' coverage."""

import warnings

import pytest
from kner.lexicon import BUILTIN, LEXICON_DIR, Lexicon, LexiconError, LexiconWarning, read_lexicon

HEADER = "term\tlabel\tcanonical\tkind\tcheck\n"


def write(tmp_path, body, name="terms.tsv"):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_entries_with_comments_canonical_kind_and_check(tmp_path):
    path = write(tmp_path, "# my terms\n" + HEADER + "세코\tLOC\t창원컨벤션센터\tvenue\tnnp\n\n한빛펀드\tPROGRAM\n")
    entries = read_lexicon(path)
    assert [(e.term, e.label, e.canonical, e.kind, e.check, e.source) for e in entries] == [
        ("세코", "LOC", "창원컨벤션센터", "venue", "nnp", "terms"),
        ("한빛펀드", "PROGRAM", "", "", "", "terms"),
    ]


@pytest.mark.parametrize("bad, why", [
    ("세코 LOC\n", "at least 2 tab-separated columns"),
    ("세코\tPLACE\n", "label 'PLACE'"),
    ("세코\tLOC\t\t\tproper\n", "check 'proper'"),
    ("\tLOC\n", "empty term"),
])
def test_bad_line_is_skipped_with_file_and_line(tmp_path, bad, why):
    path = write(tmp_path, HEADER + "한빛펀드\tPROGRAM\n" + bad + "청년펀드\tPROGRAM\n")
    with pytest.warns(LexiconWarning, match=rf"terms.tsv line 3: .*{why}"):
        entries = read_lexicon(path)
    assert [e.term for e in entries] == ["한빛펀드", "청년펀드"]


def test_missing_header_or_file_is_an_error(tmp_path):
    with pytest.raises(LexiconError, match="line 1: expected the header"):
        read_lexicon(write(tmp_path, "세코\tLOC\n"))
    with pytest.raises(LexiconError, match="does not exist"):
        read_lexicon(tmp_path / "nope.tsv")


def test_later_entries_win_and_longest_match_first(tmp_path):
    lex = Lexicon(read_lexicon(write(tmp_path, HEADER + "세코\tLOC\n세코\tORG\n세코홀\tLOC\n")))
    assert lex.get("세코").label == "ORG"
    assert [e.term for e in lex.matches_at("그 세코홀에서", 2)] == ["세코홀", "세코"]


def test_shipped_lexicons_parse_cleanly():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in BUILTIN + ("example_user.tsv",):
            assert read_lexicon(LEXICON_DIR / name)


def test_shipped_admin_divisions_and_short_forms():
    lex = Lexicon(read_lexicon(LEXICON_DIR / "admin.tsv"))
    entries = list(lex)
    top = {e.term for e in entries if e.kind in ("province", "metro") and e.term == e.canonical}
    assert len(top) == 17 and {"전북특별자치도", "강원특별자치도", "세종특별자치시"} <= top
    # 75 시 plus 제주시 and 서귀포시, less 경기 광주시 (no canonical: 광주광역시 is also 광주시)
    assert len({e.canonical for e in entries if e.kind == "city" and e.canonical}) == 76
    assert lex.get("충북").canonical == "충청북도" and lex.get("전북").canonical == "전북특별자치도"
    assert lex.get("창원").canonical == "경상남도 창원시" and lex.get("구미").kind == "city"
    assert lex.get("중구").canonical == "" and lex.get("고성").check == "nnp"  # shared names have no canonical
    assert lex.get("Chungbuk").canonical == "충청북도" and lex.get("Changwon").kind == "roman-city"


def test_shipped_romanised_counties_districts_and_towns():
    lex = Lexicon(read_lexicon(LEXICON_DIR / "roman.tsv"))
    assert lex.get("Wando County").canonical == "전라남도 완도군" and lex.get("Wando").kind == "roman-county"
    assert lex.get("Haeundae-gu").canonical == "부산광역시 해운대구" and lex.get("Haeundae District")
    assert lex.get("Cheorwon") and lex.get("Jongno-gu") and lex.get("Gangneung") is None  # 강릉 is admin.tsv's
    assert lex.get("Jung-gu") and lex.get("Jung") is None  # a compass district has no bare form
    assert lex.get("Bubal-eup").kind == "roman-town" and lex.get("Bubal") is None  # towns only with the suffix


def test_shipped_organisation_abbreviations():
    lex = Lexicon(read_lexicon(LEXICON_DIR / "orgs.tsv"))
    assert lex.get("재료연").canonical == "한국재료연구원"
    assert lex.get("전기연").canonical == "한국전기연구원"
    assert lex.get("경남대").canonical == "경남대학교"
    assert lex.get("경남TP").canonical == "경남테크노파크"
    assert lex.get("KTR").label == "ORG"
