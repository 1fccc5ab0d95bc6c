"""Output is written atomically and an interrupted run can be resumed without duplicates or gaps."""

import gzip
import json

import pytest
from kner.output import AtomicJsonlWriter, partial_path


def line(i):
    return json.dumps({"id": str(i), "text": "가", "meta": {"file": "f", "line": i}})


def test_output_appears_only_on_success(tmp_path):
    out = tmp_path / "out.jsonl"
    with pytest.raises(RuntimeError):
        with AtomicJsonlWriter(out) as w:
            w.write(line(1))
            raise RuntimeError("crash")
    assert not out.exists()
    assert partial_path(out).exists()
    with AtomicJsonlWriter(out) as w:
        w.write(line(1))
    assert out.read_text().splitlines() == [line(1)]
    assert not partial_path(out).exists()


def test_resume_keeps_complete_records_and_drops_a_torn_tail(tmp_path):
    out = tmp_path / "out.jsonl"
    partial_path(out).write_text(line(1) + "\n" + line(2) + "\n" + line(3)[:10], encoding="utf-8")
    with AtomicJsonlWriter(out, resume=True) as w:
        assert w.done == {("f", 1), ("f", 2)}
        assert w.kept == 2
        w.write(line(3))
    assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == ["1", "2", "3"]


def test_gzip_output_and_resume_after_kill(tmp_path):
    out = tmp_path / "out.jsonl.gz"
    with AtomicJsonlWriter(out) as w:
        w.write(line(1))
    with gzip.open(out, "rt", encoding="utf-8") as f:
        assert f.read() == line(1) + "\n"
    # a killed gzip run leaves a stream without its trailer
    data = gzip.compress((line(1) + "\n" + line(2) + "\n").encode())
    out.unlink()
    partial_path(out).write_bytes(data[:-8])
    with AtomicJsonlWriter(out, resume=True) as w:
        assert ("f", 1) in w.done
    assert gzip.decompress(out.read_bytes()).decode().startswith(line(1))
