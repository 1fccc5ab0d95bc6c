"""Format readers and writers: detection, lossless round trips, and reports of what a format cannot hold."""

import json

import pytest

from pipeline.formats import FormatWarning, detect_format, read_records, write_records
from pipeline.records import Record, Span


def rec(rid, text, *spans, **fields):
    """A record whose spans are given as (start, end, label[, extras]) with the surface filled in."""
    out = []
    for s in spans:
        extras = s[3] if len(s) > 3 else {}
        out.append(Span(s[0], s[1], s[2], text[s[0]:s[1]], **extras))
    return Record(rid, text, tuple(out), **fields)


def core(records):
    """What every format must keep: id, text, and each span's offsets and label."""
    return [(r.id, r.text, [(s.start, s.end, s.label) for s in r.spans]) for r in records]


def write_lines(path, lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


# ---------------------------------------------------------------- detection

@pytest.mark.parametrize("line, fmt", [
    ({"id": "1", "text": "가", "spans": [], "meta": {}}, "kner"),
    ({"text": "가", "spans": [], "_input_hash": 1, "answer": "accept"}, "prodigy"),
    ({"text": "가", "label": [[0, 1, "ORG"]]}, "doccano"),
    ({"text": "가", "entities": [{"start_offset": 0, "end_offset": 1, "label": "ORG"}]}, "doccano"),
])
def test_detect_jsonl_formats_from_first_record(tmp_path, line, fmt):
    path = write_lines(tmp_path / "x.jsonl", [json.dumps(line, ensure_ascii=False)])
    assert detect_format(path) == fmt


def test_detect_label_studio_array_and_suffixes(tmp_path):
    ls = tmp_path / "tasks.json"
    ls.write_text('[{"data": {"text": "가"}, "annotations": []}]', encoding="utf-8")
    assert detect_format(ls) == "labelstudio"
    assert detect_format(tmp_path / "x.spacy") == "docbin"
    assert detect_format(tmp_path / "x.bio") == "conll"


# ---------------------------------------------------------------- JSONL formats

def test_doccano_reads_both_layouts(tmp_path):
    path = write_lines(tmp_path / "d.jsonl", [
        json.dumps({"id": 7, "text": "충북도는 청주에", "label": [[0, 3, "ORG"], [5, 7, "LOC"]]}, ensure_ascii=False),
        json.dumps({"text": "청주", "entities": [{"id": 1, "start_offset": 0, "end_offset": 2, "label": "LOC"}],
                    "relations": []}, ensure_ascii=False),
    ])
    got = list(read_records(path, "doccano"))
    assert core(got) == [("7", "충북도는 청주에", [(0, 3, "ORG"), (5, 7, "LOC")]), ("d:2", "청주", [(0, 2, "LOC")])]
    assert got[0].spans[0].text == "충북도"


def test_prodigy_skips_rejected_tasks_and_says_so(tmp_path):
    path = write_lines(tmp_path / "p.jsonl", [
        json.dumps({"text": "청주", "spans": [{"start": 0, "end": 2, "label": "LOC"}], "answer": "accept"}),
        json.dumps({"text": "충북", "spans": [], "answer": "reject"}),
    ])
    with pytest.warns(FormatWarning, match="1 'reject'"):
        got = list(read_records(path))
    assert core(got) == [("p:1", "청주", [(0, 2, "LOC")])]


def test_bad_lines_are_reported_with_file_and_line_and_skipped(tmp_path):
    path = write_lines(tmp_path / "bad.jsonl", [
        '{"text": "abc", "spans": [{"start": 0, "end": 9, "label": "ORG"}]}',
        "not json",
        '{"id": "ok", "text": "ok"}',
    ])
    with pytest.warns(FormatWarning) as caught:
        got = list(read_records(path, "kner"))
    messages = [str(w.message) for w in caught]
    assert any(f"{path}:1: span [0, 9) is outside" in m for m in messages)
    assert any(f"{path}:2: malformed JSON" in m for m in messages)
    assert core(got) == [("ok", "ok", [])]


def test_doccano_export_reports_dropped_span_extras(tmp_path):
    r = rec("1", "충북도는", (0, 3, "ORG", {"source": "rules", "score": 0.9}))
    with pytest.warns(FormatWarning, match=r"doccano cannot hold.*span source \(1.*span score \(1"):
        write_records([r], tmp_path / "d.jsonl", "doccano")
    assert core(read_records(tmp_path / "d.jsonl")) == core([r])
