"""Fuzzing the whole annotator: on arbitrary text nothing raises and every span's offsets are exact."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kner.annotate import annotate_records
from kner.records import LABELS, Record

# Text that looks like scraped Korean news: names with heads, particles, quotes, brackets, noise.
PIECES = st.sampled_from([
    "충북도는", "경남TP와", "㈜한빛소재", "(주)", "창원국가산단", "지원사업", "‘", "’", "(", ")", "·", "2025년",
    "특화단지", "협의회", "센터장", "시는", "구미시의", " ", "\n", "\r\n", "\t", "😀", "ᄒᆞᆫ", "한국", "연구원",
    "Korea", "Province", "전략", "의", "에서", "를", "「", "」", "\x00", "…", "“", "”",
])
NEWSLIKE = st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=40).map("".join)


@pytest.fixture(scope="module", params=["rules", "default"])
def nlp(request):
    from kner.nlp import load

    return load(request.param)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(NEWSLIKE, min_size=1, max_size=4))
def test_annotator_keeps_offsets_exact_on_arbitrary_text(nlp, texts):
    records = [Record(id=str(i), text=t) for i, t in enumerate(texts)]
    for (out, _), source in zip(annotate_records(nlp, records), records, strict=True):
        assert out.text == source.text
        previous_end = 0
        for span in out.spans:
            assert 0 <= span.start < span.end <= len(out.text)
            assert out.text[span.start:span.end] == span.text
            assert span.label in LABELS
            assert span.start >= previous_end, "final spans never overlap"
            previous_end = span.end
        for start, end in out.sentences:
            assert 0 <= start < end <= len(out.text)


def test_a_long_line_without_spaces_is_annotated_exactly(nlp):
    """Scraped pages can glue tens of thousands of characters together; patterns must stay linear on them."""
    text = ("충청북도이차전지특화단지지원사업한빛소재㈜" * 2500)[:50_000]
    (out, _), = annotate_records(nlp, [Record(id="long", text=text)])
    assert out.text == text
    assert all(text[s.start:s.end] == s.text for s in out.spans)
