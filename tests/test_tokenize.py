"""The Kiwi tokenizer never changes the text and maps morphemes onto exact surface segments."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from kner.tokenize import SPACE_TAG, analyse

# Hangul syllables, compatibility and conjoining jamo, Latin, digits, punctuation, emoji, controls, whitespace.
KOREANISH = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
        st.characters(min_codepoint=0x1100, max_codepoint=0x11FF),
        st.characters(min_codepoint=0x3130, max_codepoint=0x318F),
        st.sampled_from(list("abcXYZ019.,!?‘’“”()[]·‧㈜%℃ \t\r\n\u00a0\u200b\x00\x07")),
        st.characters(min_codepoint=0x1F300, max_codepoint=0x1F64F),
        st.characters(codec="utf-8"),
    ),
    max_size=80,
)


def assert_exact(doc, text):
    """Doc text is the input, and tokens tile it with their own surface."""
    assert doc.text == text
    pos = 0
    for token in doc:
        assert token.idx == pos
        assert text[token.idx:token.idx + len(token)] == token.text
        pos = token.idx + len(token.text_with_ws)
    assert pos == len(text)


@settings(max_examples=300, deadline=None)
@given(KOREANISH)
def test_doc_text_is_input_for_any_string(blank_nlp, text):
    assert_exact(blank_nlp(text), text)


@settings(max_examples=100, deadline=None)
@given(KOREANISH)
def test_decomposed_hangul_keeps_offsets(blank_nlp, text):
    nfd = unicodedata.normalize("NFD", text)
    assert_exact(blank_nlp(nfd), nfd)


def test_edge_strings(blank_nlp):
    for text in ["", " ", "\n\n", "😀", "a\r\nb", "충북도는\t\t서울에서 회의했다.\r\n", "\x00\x01가", "ᄀ", "ᅡ"]:
        assert_exact(blank_nlp(text), text)


def test_overlapping_morphemes_become_one_token(blank_nlp):
    doc = blank_nlp("회의했다")
    token = next(t for t in doc if t.text == "했")
    assert token.tag_ == "XSV+EP"
    assert token.lemma_ == "하+었"
    assert token._.morphs == (("하", "XSV"), ("었", "EP"))


def test_kiwi_tags_kept_and_particles_split(blank_nlp):
    doc = blank_nlp("충북도는 서울에서")
    assert [(t.text, t.tag_) for t in doc] == [("충북도", "NNP"), ("는", "JX"), ("서울", "NNP"), ("에서", "JKB")]


def test_hashtags_are_analysed_so_names_inside_them_are_tokens(blank_nlp):
    doc = blank_nlp("#제주여행 #CFI2030")
    assert [(t.text, t.tag_) for t in doc if t.tag_ != SPACE_TAG][:3] == [("#", "SW"), ("제주", "NNP"), ("여행", "NNG")]


def test_decomposed_hangul_is_analysed_like_composed(blank_nlp):
    nfc = "충북도는 회의했다"
    nfd = unicodedata.normalize("NFD", nfc)
    tags = [t.tag_ for t in blank_nlp(nfd)]
    assert tags == [t.tag_ for t in blank_nlp(nfc)]
    first = blank_nlp(nfd)[0]
    assert unicodedata.normalize("NFC", first.text) == "충북도"


def test_sentences_come_from_kiwi(blank_nlp):
    doc = blank_nlp("첫 문장이다. 둘째 문장이다!  셋째")
    starts = [s.start_char for s in doc.sents]
    assert len(starts) == 3
    assert doc.text[starts[1]:].startswith("둘째")


def test_whitespace_runs_are_space_tokens(blank_nlp):
    doc = blank_nlp("가\n\n나")
    assert [t.tag_ for t in doc][1] == SPACE_TAG


def test_analyse_covers_text_without_gaps():
    text = "㈜월덱스와 LG화학, 😀 KTR이  끝"
    tokens = analyse(text)
    assert tokens[0].start == 0 and tokens[-1].end + tokens[-1].space == len(text)
    assert all(a.end + a.space == b.start for a, b in zip(tokens, tokens[1:], strict=False))
    assert all(text[a.end] == " " for a in tokens if a.space)


def test_a_single_space_is_whitespace_but_a_leading_one_is_a_token():
    tokens = analyse(" 가  나 다 ")
    assert [(t.start, t.end, t.space) for t in tokens if t.tag == SPACE_TAG] == [(0, 1, False), (2, 4, False)]
    assert [t.space for t in tokens if t.tag != SPACE_TAG] == [False, True, True]


def test_huge_text_is_analysed_in_chunks_with_exact_offsets(blank_nlp, monkeypatch):
    import kner.tokenize as tok

    monkeypatch.setattr(tok, "CHUNK_CHARS", 50)
    text = "충북도는 회의를 열었다.\n" * 8 + "가나다라마바사아자차카타파하" * 6 + " 끝."
    assert all(e - s <= 50 for s, e in tok._chunks(text))
    doc = blank_nlp(text)
    assert_exact(doc, text)
    assert [t.text for t in doc[:3]] == ["충북도", "는", "회의"]
    assert len(list(doc.sents)) >= 8


def test_doc_tokens_read_back_from_a_doc_match_the_tokenizers_rows(blank_nlp):
    from kner.tokenize import doc_text, doc_tokens

    doc = blank_nlp("충북도는 30일  회의했다.\n\n㈜월덱스와 LG화학 😀 둘째 문장이다!")
    rows = doc_tokens(doc)
    assert rows is doc._.kiwi_tokens and len(rows) == len(doc)
    assert doc_text(doc) is doc._.kiwi_text and doc.text == doc_text(doc)
    assert [(r.start, r.end, r.tag, r.lemma) for r in rows] == [(t.idx, t.idx + len(t), t.tag_, t.lemma_) for t in doc]
    assert [r.space for r in rows] == [bool(t.whitespace_) for t in doc]
    assert [r.sent_start for r in rows][1:] == [bool(t.is_sent_start) for t in doc][1:]
    part = doc[4:9].as_doc(copy_user_data=True)  # carries the whole Doc's rows and text, which no longer fit
    assert doc_text(part) == part.text == doc.text[doc[4].idx:doc[8].idx + len(doc[8])]
    assert [(r.start, r.tag) for r in doc_tokens(part)] == [(t.idx, t.tag_) for t in part]
    doc.user_data.clear()  # a Doc the tokenizer did not make (or whose user data is gone): read from its arrays
    assert [r[:6] for r in doc_tokens(doc)] == [r[:6] for r in rows]
    assert doc_text(doc) == doc.text


def test_kiwi_configuration_is_part_of_the_model_config(tmp_path):
    """New pipelines run Kiwi without its multi-word dictionary and say so in config.cfg; older configs, which
    have no `multi_dict` key, keep the dictionary they were trained with."""
    import spacy
    from kner.nlp import blank
    from kner.tokenize import get_kiwi

    nlp = blank()
    assert nlp.tokenizer.multi_dict is False
    assert nlp.tokenizer.kiwi is get_kiwi()  # the shared Kiwi, not a second build
    nlp.to_disk(tmp_path / "new")
    assert spacy.load(tmp_path / "new").tokenizer.multi_dict is False
    old = spacy.blank("ko", config={"nlp": {"tokenizer": {"@tokenizers": "kner.KiwiTokenizer.v1"}}})
    assert old.tokenizer.multi_dict is True
