"""`kner import` of real Label Studio exports: the full JSON export and JSON-MIN (tests/data fixtures)."""

import json
from pathlib import Path

from kner.cli import app
from kner.formats import detect_format
from typer.testing import CliRunner

DATA = Path(__file__).parent / "data"


def imported(tmp_path, name):
    out = tmp_path / "corrected.jsonl"
    result = CliRunner().invoke(app, ["import", str(DATA / name), "--from", "labelstudio", "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return result.output, records


def utf16(text, start, end):
    """The text between two UTF-16 offsets, as Label Studio counts them."""
    return text.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le")


def checked_spans(records):
    """Each record's spans as (start, end, label, text), by id, after checking every span's offsets."""
    for r in records:
        for s in r["spans"]:
            assert r["text"][s["start"]:s["end"]] == s["text"], (r["id"], s)
    return {r["id"]: [(s["start"], s["end"], s["label"], s["text"]) for s in r["spans"]] for r in records}


def test_full_export_reads_submitted_annotations_only(tmp_path):
    assert detect_format(DATA / "labelstudio-export.json") == "labelstudio"
    output, records = imported(tmp_path, "labelstudio-export.json")
    got = checked_spans(records)
    assert got == {
        # an emoji (two UTF-16 units) before the spans: 충북도 is at UTF-16 3..6, code points 2..5
        "a01": [(2, 5, "ORG", "충북도"), (11, 13, "LOC", "청주"), (27, 45, "ORG", "충청권 이차전지 산업 육성 협의회")],
        # the later cancelled annotation is ignored; 월덱스 sits inside (주)월덱스와
        "a02": [(0, 7, "ORG", "산업통상자원부"), (9, 11, "LOC", "오창"), (12, 19, "PROGRAM", "소부장특화단지"),
                (24, 27, "ORG", "월덱스"), (29, 33, "ORG", "LG화학")],
        "a05": [],  # submitted with an empty result: no entities
    }
    assert records[0]["meta"] == {"source": "brk"}
    tasks = json.loads((DATA / "labelstudio-export.json").read_text(encoding="utf-8"))
    region = tasks[0]["annotations"][0]["result"][0]["value"]
    assert (region["start"], region["end"]) == (3, 6) and utf16(tasks[0]["data"]["text"], 3, 6) == "충북도"
    assert "not annotated yet): a03" in output  # a task with no annotations
    assert "only drafts" in output and "a04" in output  # a draft is not read
    assert "empty result" in output and "a05" in output
    assert "choices (1), textarea (1)" in output  # other control types in a result
    assert "not objects" not in output  # prediction ids are what Label Studio writes
    assert "wrote 3 records" in output


def test_json_min_export_is_detected_and_read(tmp_path):
    assert detect_format(DATA / "labelstudio-min.json") == "labelstudio"
    output, records = imported(tmp_path, "labelstudio-min.json")
    got = checked_spans(records)
    assert got == {
        "286": [(2, 5, "ORG", "충북도"), (11, 13, "LOC", "청주")],
        "287": [(9, 11, "LOC", "오창"), (12, 19, "PROGRAM", "소부장특화단지"), (24, 27, "ORG", "월덱스")],
        "290": [(0, 3, "LOC", "포항시")],
    }
    assert records[0]["meta"] == {"relevance": "relevant"}  # a flattened choice is a data column
    assert "annotator" not in records[0]["meta"] and "lead_time" not in records[0]["meta"]


def test_json_min_rows_of_one_task_become_one_record(tmp_path):
    rows = [{"text": "구미시는", "id": 9, "label": [{"start": 0, "end": 3, "text": "구미시", "labels": ["LOC"]}],
             "annotator": 1, "annotation_id": 1, "updated_at": "2026-01-01T00:00:00Z"},
            {"text": "구미시는", "id": 9, "label": [{"start": 0, "end": 2, "text": "구미", "labels": ["LOC"]}],
             "annotator": 2, "annotation_id": 2, "updated_at": "2026-01-02T00:00:00Z"},
            {"text": "창원시", "id": 10}]
    path = tmp_path / "min.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "o.jsonl"
    result = CliRunner().invoke(app, ["import", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], [s["text"] for s in r["spans"]]) for r in records] == [("9", ["구미"])]  # latest updated
    assert "several annotations" in result.output and "not annotated yet): 10" in result.output
