"""render: displaCy HTML from a Record, a record dict or a Doc layer, over char offsets."""

import re

import pytest
from kner import render
from kner.layers import set_layer
from kner.records import Record, Span
from spacy.tokens import Doc
from spacy.vocab import Vocab

TEXT = "충북도는 청주에서 소부장 특화단지 사업을 논의했다."
SPANS = (Span(0, 3, "ORG", "충북도"), Span(5, 7, "LOC", "청주"), Span(10, 18, "PROGRAM", "소부장 특화단지"))


def marked(html: str) -> list[tuple[str, str]]:
    """(entity text, label) pairs in displaCy's entity markup."""
    return re.findall(r'<mark class="entity"[^>]*>\s*(.*?)\s*<span[^>]*>(\w+)</span>', html, flags=re.S)


def test_record_spans_and_title():
    html = render(Record("doc-7", TEXT, SPANS), jupyter=False)
    assert marked(html) == [("충북도", "ORG"), ("청주", "LOC"), ("소부장 특화단지", "PROGRAM")]
    assert "doc-7" in html and "#c887fb" in html  # PROGRAM has its own colour


def test_dict_renders_like_record():
    record = Record("d", TEXT, SPANS)
    assert render(record.to_dict(), jupyter=False) == render(record, jupyter=False)


def test_doc_final_layer_and_other_layer():
    doc = Doc(Vocab(), words=["충북도는", "청주에서", "소부장", "특화단지", "사업을", "논의했다."],
              spaces=[True] * 5 + [False])
    assert doc.text == TEXT
    set_layer(doc, "ents", SPANS[:1])
    set_layer(doc, "rules", SPANS[1:2])
    assert marked(render(doc, jupyter=False)) == [("충북도", "ORG")]  # boundary inside the token 충북도는
    assert marked(render(doc, layer="rules", jupyter=False)) == [("청주", "LOC")]


def test_char_range_crops_text_and_spans():
    html = render(Record("d", TEXT, SPANS), char_range=(5, 18), title="", jupyter=False)
    assert marked(html) == [("청주", "LOC"), ("소부장 특화단지", "PROGRAM")]
    assert "충북도" not in html and "논의" not in html
    with pytest.raises(ValueError, match="outside the text"):
        render(Record("d", TEXT, SPANS), char_range=(0, 999), jupyter=False)


def test_text_is_escaped():
    html = render(Record("d", "<b>한국재료연구원</b>", (Span(3, 10, "ORG", "한국재료연구원"),)), jupyter=False)
    assert "<b>" not in html and "&lt;b&gt;" in html


def test_overlapping_spans_refused():
    spans = (Span(0, 3, "ORG", "충북도"), Span(0, 7, "LOC", "충북도는 청주"))
    with pytest.raises(ValueError, match="overlap"):
        render(Record("d", TEXT, spans), jupyter=False)


def test_other_input_refused():
    with pytest.raises(TypeError, match="Record, a record dict or a spaCy Doc"):
        render(TEXT)


def test_jupyter_returns_html_object():
    display = pytest.importorskip("IPython.display")
    out = render(Record("d", TEXT, SPANS), jupyter=True)
    assert isinstance(out, display.HTML) and "충북도" in out.data
