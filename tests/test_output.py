"""Output is written atomically, locked against a second run, and an interrupted run can be resumed in place."""

import gzip
import json

import pytest
from kner.errors import OutputError, UsageError
from kner.output import AtomicJsonlWriter, check_output, lock_path, partial_path


def line(i):
    return json.dumps({"id": str(i), "text": "가", "meta": {"file": "f", "line": i}})


def key(d):
    return d["id"]


def test_output_appears_only_on_success(tmp_path):
    out = tmp_path / "out.jsonl"
    with pytest.raises(RuntimeError):
        with AtomicJsonlWriter(out) as w:
            w.write(line(1))
            raise RuntimeError("crash")
    assert not out.exists()
    assert partial_path(out).exists()
    assert not lock_path(out).exists()
    with AtomicJsonlWriter(out) as w:
        w.write(line(1))
    assert out.read_text().splitlines() == [line(1)]
    assert not partial_path(out).exists()


def test_resume_keeps_complete_records_and_drops_a_torn_tail(tmp_path):
    out = tmp_path / "out.jsonl"
    partial_path(out).write_text(line(1) + "\n" + line(2) + "\n" + line(3)[:10], encoding="utf-8")
    with AtomicJsonlWriter(out, resume=True, key=key) as w:
        assert w.done == {"1": 1, "2": 1}
        assert w.kept == 2
        w.write(line(3))
    assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == ["1", "2", "3"]


def test_gzip_output_and_resume_of_an_old_compressed_partial(tmp_path):
    out = tmp_path / "out.jsonl.gz"
    with AtomicJsonlWriter(out) as w:
        w.write(line(1))
    with gzip.open(out, "rt", encoding="utf-8") as f:
        assert f.read() == line(1) + "\n"
    # kner < 0.3 wrote the partial file compressed; a killed run left a stream without its trailer
    data = gzip.compress((line(1) + "\n" + line(2) + "\n").encode())
    out.unlink()
    partial_path(out).write_bytes(data[:-8])
    with AtomicJsonlWriter(out, resume=True, key=key) as w:
        assert "1" in w.done
    assert gzip.decompress(out.read_bytes()).decode().startswith(line(1))


def test_resume_of_a_finished_output_keeps_it_until_the_new_one_is_complete(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text(line(1) + "\n", encoding="utf-8")
    with pytest.raises(RuntimeError), AtomicJsonlWriter(out, resume=True, key=key) as w:
        w.write(line(2))
        raise RuntimeError("crash")
    assert out.read_text() == line(1) + "\n"  # untouched
    with AtomicJsonlWriter(out, resume=True, key=key) as w:
        assert w.kept == 2
    assert out.read_text().splitlines() == [line(1), line(2)]


def test_a_second_writer_on_the_same_output_is_refused_and_named(tmp_path):
    out = tmp_path / "out.jsonl"
    with AtomicJsonlWriter(out) as w:
        w.write(line(1))
        with pytest.raises(OutputError, match=r"another kner run \(pid \d+") as e:
            AtomicJsonlWriter(out, resume=True).__enter__()
        assert e.value.code == "E301"
    assert out.read_text() == line(1) + "\n"


def test_bad_targets_are_refused_before_work(tmp_path):
    (tmp_path / "dir").mkdir()
    with pytest.raises(OutputError, match="is a directory"):
        check_output(tmp_path / "dir", force=True)
    (tmp_path / "x.jsonl").write_text("{}\n")
    with pytest.raises(OutputError, match="exists"):
        check_output(tmp_path / "x.jsonl")
    with pytest.raises(OutputError, match="also an input"):
        check_output(tmp_path / "x.jsonl", resume=True, inputs=[str(tmp_path / "." / "x.jsonl")])
    partial_path(tmp_path / "y.jsonl").write_text("")
    with pytest.raises(OutputError, match="interrupted run"):
        check_output(tmp_path / "y.jsonl")
    with pytest.raises(UsageError, match="--resume"):
        check_output("-", resume=True)


def test_a_device_is_written_in_place_never_renamed_over(tmp_path):
    with AtomicJsonlWriter("/dev/null") as w:
        w.write(line(1))
    assert not partial_path("/dev/null").exists()
