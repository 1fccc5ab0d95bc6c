"""kner report's counts (names by canonical key, province table, pairs, sample) and its self-contained page."""

import base64
import gzip
import json
import random
import re

import pytest
from kner.cli import app
from kner.errors import RecordError
from kner.frames import check_article
from kner.overview import NO_PROVINCE, Overview, ProvinceFinder, build, day, name_key, to_html, write_report
from typer.testing import CliRunner

TEXT = "충북도는 청주에서 협의회를 열었다. 충청북도와 재료연이 소부장 특화단지를 논의했다. 무관한 문장."
SENTENCES = [[0, 19], [20, 44], [45, 52]]


def span(text, label, start=None, **extra):
    """A span dict over TEXT (first occurrence unless `start` is given)."""
    start = TEXT.index(text) if start is None else start
    return {"start": start, "end": start + len(text), "label": label, "text": text, **extra}


def rec(doc_id="a", spans=None, text=TEXT, sentences=SENTENCES, meta=None, kner=None):
    """A record dict in our output format."""
    if spans is None:
        spans = [span("충북도", "ORG", canonical="충청북도", source="rule", score=0.8),
                 span("청주", "LOC", source="rule+model", score=0.9),
                 span("충청북도", "ORG", source="model", score=0.7),
                 span("재료연", "ORG", canonical="한국재료연구원", source="rule", score=0.9),
                 span("소부장 특화단지", "PROGRAM", source="rule", score=0.65)]
    out = {"id": doc_id, "text": text, "spans": spans, "sentences": sentences, "meta": meta or {}}
    if kner:
        out["kner"] = kner
    return out


def overview(records, **kw):
    o = Overview(**kw)
    for i, r in enumerate(records):
        o.add(check_article(r, f"x:{i}"))
    return o


def entity(o, label, name):
    found = [e for (lb, _), e in o.entities.items() if lb == label and e.name == name]
    assert len(found) == 1, [e.name for e in o.entities.values()]
    return found[0]


def test_name_key_ignores_spaces_middle_dots_brackets_and_case():
    assert name_key("소재·부품·장비 특화단지") == name_key("소재‧부품‧장비특화단지") == "소재부품장비특화단지"
    assert name_key("(주)월덱스") == name_key("㈜월덱스") == name_key("월덱스 주식회사") == "월덱스"  # legal forms
    assert name_key("「월덱스」") == name_key("월 덱스") == "월덱스"
    assert name_key("Chungbuk Province") == name_key("CHUNGBUK  province")
    assert name_key("··") == "··"  # nothing left: the name itself


def test_names_are_counted_by_canonical_name_or_normalised_text():
    other = "충북도가 소부장특화단지 사업을 했다. 소부장특화단지 2차."
    o = overview([rec("a"), rec("b", text=other, sentences=[[0, 20], [21, 32]], spans=[
        {"start": 0, "end": 3, "label": "ORG", "text": "충북도", "canonical": "충청북도"},
        {"start": 5, "end": 12, "label": "PROGRAM", "text": "소부장특화단지"},
        {"start": 21, "end": 28, "label": "PROGRAM", "text": "소부장특화단지"},
    ])])
    chungbuk = entity(o, "ORG", "충청북도")  # 충북도 -> canonical; 충청북도 without canonical has the same key
    assert (chungbuk.tally.n, chungbuk.tally.articles) == (3, 2)
    assert chungbuk.forms == {"충북도": 2, "충청북도": 1}
    programme = entity(o, "PROGRAM", "소부장특화단지")  # no canonical: the most frequent surface names it
    assert (programme.tally.n, programme.tally.articles) == (3, 2)
    assert programme.forms == {"소부장 특화단지": 1, "소부장특화단지": 2}
    assert entity(o, "ORG", "한국재료연구원").forms == {"재료연": 1}
    assert [e.name for _, e in o.top_entities("ORG")] == ["충청북도", "한국재료연구원"]
    assert o.n_articles == 2 and o.n_spans == 8
    assert o.by_label_source["ORG"] == {"rule": 2, "model": 1, "": 1}


@pytest.fixture(scope="module")
def finder():
    return ProvinceFinder.from_lexicon()


@pytest.mark.parametrize(("region", "canonical", "surface", "province"), [
    ("경상남도 창원시", None, "그 도시", "경상남도"),  # the span's region wins
    ("충북", None, "그 도", "충청북도"),  # a short region name is looked up too
    (None, "경상남도 창원시 진해구", "진해", "경상남도"),
    (None, None, "충북도", "충청북도"),
    (None, None, "대구", "대구광역시"),
    (None, None, "청주 그랜드플라자 호텔", "충청북도"),  # starts with a local government
    (None, None, "창원국가산단", "경상남도"),
    (None, None, "Chungbuk Province", "충청북도"),
    (None, None, "Chungbukdo Tech", NO_PROVINCE),  # a Latin name must end at a word boundary
    (None, None, "경기침체 대응 사업", NO_PROVINCE),  # 경기 is also a common word: whole name only
    (None, None, "중구", NO_PROVINCE),  # shared by several cities
    (None, "한국재료연구원", "재료연", NO_PROVINCE),
])
def test_province_of_a_span(finder, region, canonical, surface, province):
    assert finder(region, canonical, surface) == province


def test_optional_keys_of_the_wrong_type_are_refused_by_the_codec():
    with pytest.raises(RecordError, match="'canonical' must be a string"):
        overview([rec("a", [span("충북도", "ORG", canonical=7)])])
    with pytest.raises(RecordError, match="'region' must be a string"):
        overview([rec("a", [span("충북도", "ORG", region={"x": 1})])])
    o = overview([rec("a", [span("청주", "LOC", canonical="")])])  # an empty canonical groups by the surface
    assert [e.name for _, e in o.top_entities()] == ["청주"]


def test_province_table_counts_mentions_and_articles_per_label():
    spans = [span("충북도", "ORG", canonical="충청북도"), span("청주", "LOC"),
             span("충청북도", "ORG", region="충청북도"), span("소부장 특화단지", "PROGRAM")]
    o = overview([rec("a", spans), rec("b", spans[:2])])
    table = dict(o.province_table())
    assert list(table) == ["충청북도", NO_PROVINCE]  # the no-province row last
    assert (table["충청북도"]["ORG"].n, table["충청북도"]["ORG"].articles) == (3, 2)
    assert (table["충청북도"]["LOC"].n, table["충청북도"]["LOC"].articles) == (2, 2)
    assert (table[NO_PROVINCE]["PROGRAM"].n, table[NO_PROVINCE]["PROGRAM"].articles) == (1, 1)


def test_pairs_within_a_sentence_are_counted_once_per_sentence():
    # sentence 1: 충북도; sentence 2: 충청북도 (same name), 재료연, 소부장 특화단지; sentence 3: nothing
    o = overview([rec("a"), rec("b")])
    org_prog = {(o.entities[a].name, o.entities[b].name): (t.n, t.articles)
                for a, b, t in o.top_pairs(("ORG", "PROGRAM"))}
    assert org_prog == {("충청북도", "소부장 특화단지"): (2, 2), ("한국재료연구원", "소부장 특화단지"): (2, 2)}
    org_org = [(o.entities[a].name, o.entities[b].name, t.n) for a, b, t in o.top_pairs(("ORG", "ORG"))]
    assert org_org == [("충청북도", "한국재료연구원", 2)]  # 충북도 and 충청북도 are one name, not a pair


def test_articles_without_sentences_are_left_out_of_pairs():
    o = overview([rec("a", sentences=[]), rec("b", sentences=[[0, len(TEXT)]]), rec("c", spans=[], sentences=[])])
    assert o.without_sentences == 1  # c has no spans: nothing to leave out
    assert o.top_pairs(("ORG", "PROGRAM"))[0][2].n == 1
    assert len(o.top_pairs(("ORG", "ORG"))) == 1  # one sentence holds both orgs


def test_spans_outside_every_sentence_pair_with_nothing():
    o = overview([rec("a", sentences=[[0, 19]])])  # sentence 2 missing: 재료연 and the programme are outside
    assert o.top_pairs(("ORG", "PROGRAM")) == []


def test_sample_is_deterministic_by_id_and_tables_count_everything():
    records = [rec(f"doc-{i}") for i in range(10)]
    o = overview(records, max_articles=3)
    assert o.n_sampled == 3 and o.n_articles == 10
    assert entity(o, "ORG", "충청북도").tally.n == 20  # counts cover all ten articles
    sample = [doc_id for _, doc_id, *_ in o.sampled]
    shuffled = records[:]
    random.Random(1).shuffle(shuffled)
    assert sorted(doc_id for _, doc_id, *_ in overview(shuffled, max_articles=3).sampled) == sorted(sample)
    assert [ordinal for ordinal, *_ in o.sampled] == sorted(ordinal for ordinal, *_ in o.sampled)  # archive order
    assert overview(records, max_articles=10).n_sampled == 10
    assert overview(records, max_articles=0).n_sampled == 0


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-10-30", "2024-10-30"), ("2024/10/30 [20:28]", "2024-10-30"), ("2024.3.5", "2024-03-05"),
    ("2024년 3월 5일", "2024-03-05"), ("yesterday", None), (None, None), (20241030, None)])
def test_day(value, expected):
    assert day(value) == expected


def test_dates_and_models_in_the_summary():
    o = overview([rec("a", meta={"date": "2024-10-30"}, kner={"version": "0.2.0", "model": "kner-ko-0.2.0"}),
                  rec("b", meta={"date": "2024/09/01 10:00"}, kner={"version": "0.2.0", "model": "kner-ko-0.2.0"}),
                  rec("c")])
    assert o.date_range() == ("2024-09-01", "2024-10-30", 2)
    page = to_html(o)
    assert "dated 2024-09-01 to 2024-10-30 (2 of 3 articles have a <code>meta.date</code>)" in page
    assert "made by kner-ko-0.2.0 (kner 0.2.0) (2 articles), no kner field (1 article)" in page
    assert overview([rec()]).date_range() is None


def embedded(page):
    """The data the page's script reads."""
    m = re.search(r'<script type="application/json" id="kner-data" data-encoding="([^"]+)">(.*?)</script>', page,
                  re.S)
    if m[1] == "gzip-base64":
        return json.loads(gzip.decompress(base64.b64decode(m[2])))
    return json.loads(m[2])


def test_page_is_self_contained_and_embeds_the_data_once():
    hostile = "제목 </script><script>alert(1)</script> <!-- 끝"
    o = overview([rec("a"), rec("b", spans=[], text=hostile, sentences=[])], max_articles=5)
    for compress in (True, False):
        page = to_html(o, compress=compress)
        assert not re.search(r"(src|href)=\"(https?:)?//", page) and "<link" not in page and "@import" not in page
        assert "Content-Security-Policy" in page and "default-src 'none'" in page
        assert page.count('id="kner-data"') == 1 and page.count("<script>") == 1  # the data, then the script
        data = embedded(page)
        assert [d[0] for d in data["docs"]] == ["a", "b"] and data["docs"][1][1] == hostile
    for font in ("Malgun Gothic", "Apple SD Gothic Neo", "Noto Sans CJK KR", "NanumGothic"):
        assert font in page


def test_page_data_spans_point_at_names_sources_and_canonicals():
    o = overview([rec("a")])
    data = embedded(to_html(o))
    assert data["labels"][:3] == ["ORG", "LOC", "PROGRAM"] and data["articles"] == 1
    flat = data["docs"][0][3]
    spans = [flat[i:i + 6] for i in range(0, len(flat), 6)]
    start, end, e, source, score, canonical = spans[0]
    assert TEXT[start:end] == "충북도"
    assert data["entities"][e][:4] == [0, "충청북도", 1, 2] and data["entities"][e][4] == [["충북도", 1]]
    assert data["sources"][source] == "rule" and score == 800 and data["canonicals"][canonical] == "충청북도"
    assert spans[2][5] == -1  # 충청북도 without a canonical of its own
    names = [data["entities"][s[2]][1] for s in spans]
    assert names == ["충청북도", "청주", "충청북도", "한국재료연구원", "소부장 특화단지"]


def test_sample_note_says_what_the_browser_holds(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps(rec(f"d{i}"), ensure_ascii=False) + "\n" for i in range(4)), encoding="utf-8")
    page = tmp_path / "a.html"
    o = write_report(path, page, max_articles=2)
    text = page.read_text(encoding="utf-8")
    assert o.n_sampled == 2 and len(embedded(text)["docs"]) == 2
    assert "sample of 2 of the 4 articles" in text and "Every count and table counts all articles" in text
    assert 'id="sample-note"' not in to_html(build(path))


def test_cli_writes_the_page_and_refuses_to_overwrite(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps(rec(kner={"version": "0.2.0", "model": "m"}), ensure_ascii=False) + "\n",
                   encoding="utf-8")
    out = tmp_path / "o.html"
    runner = CliRunner()
    result = runner.invoke(app, ["report", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}: 1 articles, 5 spans" in result.output
    assert "made by m (kner 0.2.0)" in out.read_text(encoding="utf-8")
    result = runner.invoke(app, ["report", str(src), "-o", str(out)])
    assert result.exit_code == 1 and "exists; pass --force" in result.output


def test_cli_stops_at_a_bad_line_unless_told_to_skip_it(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps(rec(), ensure_ascii=False) + "\n{not json\n", encoding="utf-8")
    out = tmp_path / "o.html"
    runner = CliRunner()
    result = runner.invoke(app, ["report", str(src), "-o", str(out)])
    assert result.exit_code == 1 and "a.jsonl:2: malformed JSON" in result.output and "--skip-bad" in result.output
    assert not out.exists()
    result = runner.invoke(app, ["report", str(src), "-o", str(out), "--skip-bad"])
    assert result.exit_code == 1 and "record skipped" in result.output and out.exists()
    result = runner.invoke(app, ["report", str(tmp_path / "none.jsonl"), "-o", str(out), "--force"])
    assert result.exit_code == 1 and "no such file" in result.output
