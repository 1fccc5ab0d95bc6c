"""load_annotations / load_documents: one row per span or article, right values and dtypes, clear errors."""

import gzip
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kner import load_annotations, load_documents
from kner.formats import SkipWarning
from kner.records import Record, RecordError, Span

TEXT = "충북도는 청주에서 협의회를 열었다. 소부장 특화단지 사업을 논의했다."
SENTENCES = [[0, 19], [20, 38]]


def rec(doc_id="a", text=TEXT, spans=None, sentences=SENTENCES, meta=None):
    """A record dict in our output format."""
    if spans is None:
        spans = [
            {"start": 0, "end": 3, "label": "ORG", "text": "충북도", "source": "rules", "score": 1.0,
             "canonical": "충청북도", "rule": "gov-suffix"},
            {"start": 5, "end": 7, "label": "LOC", "text": "청주", "source": "model", "score": 0.75},
            {"start": 20, "end": 28, "label": "PROGRAM", "text": "소부장 특화단지", "source": "model", "score": 0.5},
        ]
    return {"id": doc_id, "text": text, "spans": spans, "sentences": sentences,
            "meta": {"file": f"{doc_id}.txt", "line": 0} if meta is None else meta}


def write(path, records, lines=()):
    """Write records (dicts) plus raw extra lines as JSONL, gzip when the name ends in .gz."""
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records) + "".join(lines)
    if path.suffix == ".gz":
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write(body)
    else:
        path.write_text(body, encoding="utf-8")
    return path


def test_one_row_per_span_with_values(tmp_path):
    df = load_annotations(write(tmp_path / "a.jsonl", [rec()]))
    assert list(df.columns[:11]) == ["doc_id", "label", "text", "canonical", "region", "start", "end", "sentence",
                                     "source", "score", "rule"]
    assert len(df) == 3
    first = df.iloc[0]
    assert (first.doc_id, first.label, first.text, first.canonical) == ("a", "ORG", "충북도", "충청북도")
    assert (first.start, first.end, first.source, first.score, first.rule) == (0, 3, "rules", 1.0, "gov-suffix")
    assert df.sentence.tolist() == [TEXT[0:19], TEXT[0:19], TEXT[20:38]]
    assert df.canonical.isna().tolist() == [False, True, True]
    assert df.file.tolist() == ["a.txt"] * 3 and df.line.tolist() == [0, 0, 0]


def test_dtypes(tmp_path):
    df = load_annotations(write(tmp_path / "a.jsonl", [rec()]))
    assert isinstance(df.label.dtype, pd.CategoricalDtype)
    assert list(df.label.cat.categories[:3]) == ["ORG", "LOC", "PROGRAM"]
    assert isinstance(df.source.dtype, pd.CategoricalDtype)
    assert df.start.dtype == "int64" and df.end.dtype == "int64" and df.line.dtype == "int64"
    assert df.score.dtype == "float64"


def test_offsets_are_the_text(tmp_path):
    df = load_annotations(write(tmp_path / "a.jsonl", [rec()]))
    assert all(TEXT[s:e] == t for s, e, t in zip(df.start, df.end, df.text, strict=True))


def test_text_filled_from_offsets_and_missing_score_is_nan(tmp_path):
    df = load_annotations(write(tmp_path / "g.jsonl", [rec(spans=[{"start": 5, "end": 7, "label": "LOC"}])]))
    assert df.text.tolist() == ["청주"] and df.source.tolist() == [""]
    assert df.score.isna().all()


def test_sentence_missing_or_crossed_is_na(tmp_path):
    crossing = {"start": 15, "end": 22, "label": "ORG"}
    df = load_annotations(write(tmp_path / "a.jsonl", [
        rec("x", spans=[crossing]), rec("y", sentences=[], spans=[{"start": 0, "end": 3, "label": "ORG"}]),
    ]))
    assert df.sentence.isna().all()


def test_meta_flattened_and_collisions_prefixed(tmp_path):
    meta = {"file": "n.txt", "text": "원문", "source": "경남일보", "site": {"name": "KN", "lang": "ko"}}
    df = load_annotations(write(tmp_path / "a.jsonl", [rec(meta=meta)]))
    assert {"file", "meta_text", "meta_source", "site.name", "site.lang"} <= set(df.columns)
    assert df.text.tolist() == ["충북도", "청주", "소부장 특화단지"]  # the span text is not clobbered
    assert set(df.meta_source) == {"경남일보"} and set(df["site.name"]) == {"KN"}


def test_meta_ints_with_gaps_are_nullable(tmp_path):
    df = load_documents(write(tmp_path / "a.jsonl", [rec("a", meta={"page": 3}), rec("b", meta={})]))
    assert df.page.dtype == "Int64" and df.page.isna().tolist() == [False, True]


def test_paths_list_glob_and_gzip(tmp_path):
    write(tmp_path / "one.jsonl", [rec("a")])
    write(tmp_path / "two.jsonl.gz", [rec("b"), rec("c")])
    by_glob = load_annotations(str(tmp_path / "*.jsonl*"))
    by_list = load_annotations([tmp_path / "one.jsonl", tmp_path / "two.jsonl.gz"])
    assert by_glob.doc_id.tolist() == ["a"] * 3 + ["b"] * 3 + ["c"] * 3
    pd.testing.assert_frame_equal(by_glob, by_list)


def test_missing_inputs_raise(tmp_path):
    with pytest.raises(FileNotFoundError, match="no file matches"):
        load_annotations(str(tmp_path / "*.jsonl"))
    with pytest.raises(FileNotFoundError, match="nope.jsonl"):
        load_documents(tmp_path / "nope.jsonl")


@pytest.mark.parametrize("bad, why", [
    ("{not json\n", "malformed JSON"),
    ('{"id": "b", "spans": []}\n', "no 'text'"),
    (json.dumps(rec("b", spans=[{"start": 5, "end": 99, "label": "LOC"}])) + "\n", "outside the text"),
    (json.dumps(rec("b", spans=[{"start": 5, "end": 7, "label": "LOC", "text": "청"}])) + "\n", "says '청'"),
    (json.dumps(rec("b", spans=[{"start": "5", "end": 7, "label": "LOC"}])) + "\n", "integer 'start'"),
])
def test_bad_line_raises_with_file_and_line(tmp_path, bad, why):
    path = write(tmp_path / "bad.jsonl", [rec("a")], lines=["\n", bad])
    with pytest.raises(RecordError, match=f"bad.jsonl:3: .*{why}"):
        load_annotations(path)


def test_bad_line_skipped_with_warning(tmp_path):
    path = write(tmp_path / "bad.jsonl", [rec("a")], lines=["{not json\n", json.dumps(rec("c")) + "\n"])
    with pytest.warns(SkipWarning, match="bad.jsonl:2: malformed JSON"):
        df = load_annotations(path, errors="skip")
    assert df.doc_id.unique().tolist() == ["a", "c"]
    with pytest.raises(ValueError, match="errors must be"):
        load_annotations(path, errors="ignore")


def test_undecodable_line_names_its_line(tmp_path):
    path = tmp_path / "latin.jsonl"
    path.write_bytes(("\ufeff" + json.dumps(rec("a")) + "\n").encode("utf-8") + b'{"text": "caf\xe9"}\n')
    with pytest.raises(RecordError, match="latin.jsonl:2: not UTF-8"):
        load_documents(path)  # line 1 starts with a byte-order mark and is fine


def test_cut_off_gzip_keeps_what_was_read(tmp_path):
    whole = write(tmp_path / "whole.jsonl.gz", [rec(str(i)) for i in range(200)]).read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(RecordError, match="cut.jsonl.gz:.*cannot read further"):
        load_documents(cut)
    with pytest.warns(SkipWarning, match="rest of the file"):
        docs = load_documents(cut, errors="skip")
    assert 0 < len(docs) < 200 and docs.doc_id.tolist() == [str(i) for i in range(len(docs))]


def test_documents_counts(tmp_path):
    klue = rec("k", spans=[{"start": 0, "end": 3, "label": "PS"}, {"start": 5, "end": 7, "label": "LOC"}])
    df = load_documents(write(tmp_path / "a.jsonl", [rec("a"), rec("e", spans=[]), klue]))
    assert df.doc_id.tolist() == ["a", "e", "k"]
    assert df.n_ORG.tolist() == [1, 0, 0] and df.n_LOC.tolist() == [1, 0, 1]
    assert df.n_PROGRAM.tolist() == [1, 0, 0] and df.n_PS.tolist() == [0, 0, 1]
    assert df.n_spans.tolist() == [3, 0, 2] and df.n_chars.tolist() == [len(TEXT)] * 3
    assert df.n_sentences.tolist() == [2, 2, 2] and df.file.tolist() == ["a.txt", "e.txt", "k.txt"]
    assert df.n_ORG.dtype == "int64"


def test_empty_file_gives_empty_frames(tmp_path):
    path = write(tmp_path / "empty.jsonl", [])
    spans, docs = load_annotations(path), load_documents(path)
    assert len(spans) == 0 and "label" in spans.columns
    assert len(docs) == 0 and "n_PROGRAM" in docs.columns


def test_default_id_is_file_and_line(tmp_path):
    record = rec()
    del record["id"]
    assert load_documents(write(tmp_path / "noid.jsonl", [record])).doc_id.tolist() == ["noid:1"]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 8), st.sampled_from(["ORG", "LOC", "PROGRAM"])),
                max_size=6))
def test_records_written_by_records_module_load_exactly(tmp_path_factory, raw):
    """Whatever Record.to_json writes comes back span for span, offsets and surfaces intact."""
    text = "경상남도 창원시는 소부장 특화단지 지정을 위해 한국재료연구원과 협력한다."
    spans = [Span(s, min(s + n, len(text)), label, text[s:min(s + n, len(text))]) for s, n, label in raw]
    record = Record("r", text, tuple(spans), ((0, len(text)),), {"file": "r.txt"})
    path = tmp_path_factory.mktemp("h") / "r.jsonl"
    path.write_text(record.to_json() + "\n", encoding="utf-8")
    df = load_annotations(path)
    assert list(zip(df.start, df.end, df.label, df.text, strict=True)) == [
        (s.start, s.end, s.label, s.text) for s in record.spans]
    assert (df.sentence == text).all()
