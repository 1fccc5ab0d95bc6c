"""`kner annotate` end to end: exact offsets, error reporting, ordering, resume and interruption."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from kner.cli import app
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
runner = CliRunner()


def read(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def check_record(rec, source_text=None):
    """The contract every output record keeps."""
    assert set(rec) >= {"id", "text", "spans", "sentences", "meta", "kner"}
    if source_text is not None:
        assert rec["text"] == source_text
    for span in rec["spans"]:
        assert rec["text"][span["start"]:span["end"]] == span["text"]
        assert span["label"] in {"ORG", "LOC", "PROGRAM"}
        assert span["source"] and 0.0 <= span["score"] <= 1.0
    for start, end in rec["sentences"]:
        assert 0 <= start < end <= len(rec["text"])


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("annotate") / "annotations.jsonl"
    result = runner.invoke(app, ["annotate", str(SEEDS), "-o", str(out), "--model", "rules", "--quiet"])
    assert result.exit_code == 0, result.output
    return out


def test_seeds_become_five_records_with_exact_offsets(seeds_out):
    records = read(seeds_out)
    texts = sorted(SEEDS.glob("*.txt"))
    assert [r["id"] for r in records] == [p.stem for p in texts]
    for rec, path in zip(records, texts, strict=True):
        check_record(rec, path.read_text(encoding="utf-8"))
        assert rec["meta"]["file"].endswith(path.name)
        assert rec["kner"]["version"]
    assert sum(len(r["spans"]) for r in records) > 50


def test_output_is_readable_utf8_not_ascii_escaped(seeds_out):
    raw = seeds_out.read_text(encoding="utf-8")
    assert "충북" in raw and "\\u" not in raw


def test_binary_file_is_named_and_good_articles_written(tmp_path):
    (tmp_path / "a.txt").write_text("구미시는 스마트산단 사업을 추진한다.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(os.urandom(4096))
    (tmp_path / "c.txt").write_text("경상남도 창원에서 열렸다.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["annotate", str(tmp_path), "-o", str(out), "--model", "rules", "-q"])
    assert result.exit_code == 1
    assert "b.txt" in result.output and "binary" in result.output
    assert [r["id"] for r in read(out)] == ["a", "c"]
    assert "2 articles annotated" in result.output and "1 inputs skipped" in result.output


def test_jsonl_in_gzip_out_with_tokens_and_meta(tmp_path):
    import gzip

    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([
        json.dumps({"id": "x1", "text": "㈜한빛소재와 경남TP가 협약했다. 😀", "meta": {"site": "n"}},
                   ensure_ascii=False),
        "{broken",
        json.dumps({"text": "대한민국 정부는 발표했다."}, ensure_ascii=False),
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl.gz"
    result = runner.invoke(app, ["annotate", str(src), "-o", str(out), "-m", "rules", "--tokens", "-q"])
    assert result.exit_code == 1 and "in.jsonl:2" in result.output
    with gzip.open(out, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    assert [r["id"] for r in records] == ["x1", "in:3"]
    assert records[0]["meta"] == {"site": "n", "file": str(src), "line": 1}
    for rec in records:
        check_record(rec)
        for tok in rec["tokens"]:
            assert rec["text"][tok["start"]:tok["end"]].strip() and tok["tag"]


def test_existing_output_needs_force(tmp_path, seeds_out):
    result = runner.invoke(app, ["annotate", str(SEEDS), "-o", str(seeds_out), "-m", "rules", "-q"])
    assert result.exit_code == 1 and "--force" in result.output


def test_duplicate_ids_are_reported_and_kept(tmp_path):
    src = tmp_path / "dup.jsonl"
    src.write_text('{"id": "a", "text": "가나다"}\n{"id": "a", "text": "라마바"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["annotate", str(src), "-o", str(out), "-m", "rules", "-q"])
    assert result.exit_code == 0 and "duplicate id 'a'" in result.output
    assert len(read(out)) == 2


def test_parallel_jobs_give_identical_output(tmp_path, seeds_out):
    out = tmp_path / "j2.jsonl"
    result = runner.invoke(app, ["annotate", str(SEEDS), "-o", str(out), "-m", "rules", "-j", "2", "-q"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == seeds_out.read_bytes()


def test_vocab_kept_until_its_limit_then_batches_forget_their_words(tmp_path, monkeypatch):
    import kner.annotate as annotate

    lines = [s for p in sorted(SEEDS.glob("*.txt")) for s in p.read_text(encoding="utf-8").splitlines() if s.strip()]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n"
                           for i, t in enumerate(lines[:3 * annotate.BATCH_SIZE])), encoding="utf-8")
    words = {w for t in lines[:3 * annotate.BATCH_SIZE] for w in t.split()}
    outputs, kept_words = [], []
    for kept in (10**9, 0):  # every batch keeps its words / every batch runs in a memory zone
        monkeypatch.setattr(annotate, "KEPT_LEXEMES", kept)
        out = tmp_path / f"out{kept}.jsonl"
        result = runner.invoke(app, ["annotate", str(src), "-o", str(out), "-m", "rules", "-q"])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
        kept_words.append(sum(w in annotate._Worker.nlp.vocab for w in words))
    assert outputs[0] == outputs[1]
    assert kept_words[1] == 0 and kept_words[0] > 100


def test_version_and_help():
    assert runner.invoke(app, ["--version"]).output.startswith("kner ")
    for command in ["annotate", "--help"]:
        assert runner.invoke(app, [command, "--help"]).exit_code == 0


@pytest.mark.slow
def test_interrupted_run_leaves_no_output_and_resumes_without_gaps(tmp_path, seeds_out):
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    src = tmp_path / "many.jsonl"
    with open(src, "w", encoding="utf-8") as f:
        for i in range(400):
            f.write(json.dumps({"id": f"d{i}", "text": texts[i % len(texts)]}, ensure_ascii=False) + "\n")
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "kner", "annotate", str(src), "-o", str(out), "-m", "rules", "-q"]
    # Ctrl-C as in a terminal: a test run started in the background inherits SIGINT ignored, and so would the child
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    partial = out.with_name(out.name + ".partial")
    deadline = time.time() + 120
    while time.time() < deadline and (not partial.exists() or partial.stat().st_size < 200_000):
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode != 0 and "--resume" in stderr, stderr
    assert not out.exists() and partial.exists()
    done = subprocess.run(cmd + ["--resume"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    ids = [r["id"] for r in read(out)]
    assert ids == [f"d{i}" for i in range(400)]
    assert "kept from the interrupted run" in done.stderr
