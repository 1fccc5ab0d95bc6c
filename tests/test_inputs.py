"""Bad input is reported with file, line and reason, and never hides the good records around it."""

import gzip
import io
import json
import os

from kner.inputs import InputError, decode, read_inputs, read_stdin
from kner.records import Record


def split(items):
    records = [i for i in items if isinstance(i, Record)]
    errors = [i for i in items if isinstance(i, InputError)]
    return records, errors


def test_directory_is_searched_recursively_in_sorted_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("둘째 기사", encoding="utf-8")
    (tmp_path / "a.txt").write_text("첫째 기사", encoding="utf-8")
    (tmp_path / "notes.tsv").write_text("무시", encoding="utf-8")
    records, errors = split(list(read_inputs([str(tmp_path)])))
    assert [r.id for r in records] == ["a", "2"]
    assert not errors


def test_binary_file_is_named_and_good_files_kept(tmp_path):
    (tmp_path / "good.txt").write_text("충북도는 회의를 열었다.", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(bytes(range(256)) * 20)
    records, errors = split(list(read_inputs([str(tmp_path)])))
    assert [r.id for r in records] == ["good"]
    assert errors[0].file.endswith("image.txt") and "binary" in errors[0].reason


def test_legacy_and_unicode_encodings_are_decoded():
    text = "경상남도 창원시는 소부장 특화단지를 추진한다."
    assert decode(text.encode("cp949")) == (text, "cp949")
    assert decode(text.encode("euc-kr"))[0] == text
    assert decode(text.encode("utf-8-sig")) == (text, "utf-8-sig")
    assert decode(text.encode("utf-16")) == (text, "utf-16")


def test_undecodable_bytes_are_reported(tmp_path):
    (tmp_path / "bad.txt").write_bytes("정상 ".encode() + b"\xff\xfe\xfa\xfb\x81")
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + "정상 ".encode() + b"\xff")
    (tmp_path / "odd16.txt").write_bytes(b"\xff\xfe" + "가".encode("utf-16-le") + b"\x00")
    _, errors = split(list(read_inputs([str(tmp_path)])))
    assert "undecodable" in errors[0].reason
    assert [e.reason.split(" ")[0] for e in errors[1:]] == ["starts", "starts"]


def test_text_with_a_nul_byte_is_still_an_article(tmp_path):
    path = tmp_path / "nul.txt"
    path.write_text("앞부분\x00뒷부분이 이어지는 긴 기사 본문입니다." * 5, encoding="utf-8")
    records, errors = split(list(read_inputs([str(path)])))
    assert records and not errors


def test_jsonl_errors_have_line_numbers_and_good_lines_survive(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "구미시는 발표했다.", "meta": {"src": "x"}}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "c"}),
        json.dumps({"text": 42}),
        json.dumps([1, 2]),
        json.dumps({"text": "   "}),
        "",
        json.dumps({"text": "아이디 없는 기사"}, ensure_ascii=False),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records, errors = split(list(read_inputs([str(path)])))
    assert [r.id for r in records] == ["a", "in:8"]
    assert records[0].meta == {"src": "x", "file": str(path), "line": 1}
    assert [(e.line, e.reason.split(" ")[0]) for e in errors] == [
        (2, "malformed"), (3, "record"), (4, "'text'"), (5, "expected"), (6, "empty")]


def test_gzip_jsonl_is_read(tmp_path):
    path = tmp_path / "in.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "z", "text": "경남TP가 지원한다."}, ensure_ascii=False) + "\n")
    records, _ = split(list(read_inputs([str(path)])))
    assert records[0].text == "경남TP가 지원한다."


def test_huge_and_empty_articles_are_reported(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "huge.txt").write_text("가" * 101, encoding="utf-8")
    _, errors = split(list(read_inputs([str(tmp_path)], max_chars=100)))
    assert [e.reason.split(" ")[0] for e in errors] == ["empty", "article"]


def test_missing_path_and_symlink_loop_are_reported(tmp_path):
    (tmp_path / "a.txt").write_text("기사", encoding="utf-8")
    os.symlink(tmp_path, tmp_path / "loop")
    records, errors = split(list(read_inputs([str(tmp_path), str(tmp_path / "nope.txt")])))
    assert [r.id for r in records] == ["a"]
    assert any("loop" in e.reason for e in errors)
    assert any("no such file" in e.reason for e in errors)


def test_stdin_jsonl_and_plain_text():
    jsonl = io.BytesIO(b'{"id": "s1", "text": "\xea\xb0\x80"}\n')
    assert [r.id for r in read_stdin(100, jsonl)] == ["s1"]
    plain = io.BytesIO("그냥 기사 한 편".encode())
    assert [r.text for r in read_stdin(100, plain)] == ["그냥 기사 한 편"]
