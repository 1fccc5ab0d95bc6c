"""`kner annotate --engine dask`: a Dask cluster writes the same records, errors and summary as the local engine."""

import json
import os
import shutil
from pathlib import Path

import pytest
from kner import annotate, distributed
from kner.cli import app
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """Seed articles, a JSONL file of KLUE sentences with one malformed line, and a binary file."""
    folder = tmp_path_factory.mktemp("inputs")
    for path in sorted((REPO / "seeds").glob("*.txt"))[:3]:
        shutil.copy(path, folder / path.name)
    with open(REPO / "data" / "klue-ner" / "train.jsonl", encoding="utf-8") as f:
        lines = [json.dumps({"id": f"k{i}", "text": json.loads(line)["text"]}, ensure_ascii=False)
                 for i, line in zip(range(8), f, strict=False)]
    lines.insert(4, '{"text": "broken')
    (folder / "klue.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    return folder


@pytest.fixture(scope="module")
def cluster():
    """A two-worker LocalCluster, reached by its address as a real cluster would be."""
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        yield local


@pytest.fixture(scope="module")
def local(inputs, tmp_path_factory):
    """The local engine's output and summary on the inputs: what the cluster must reproduce."""
    out = tmp_path_factory.mktemp("local") / "local.jsonl"
    return out, annotate.run(paths(inputs), str(out), model="rules", quiet=True, tokens=True)


def paths(inputs: Path) -> list[str]:
    """The folder (seeds and the binary file) and the JSONL file."""
    return [str(inputs), str(inputs / "klue.jsonl")]


@pytest.mark.slow
def test_cluster_writes_the_same_records_and_errors_as_the_local_engine(inputs, local, tmp_path, cluster):
    from dask.distributed import Client

    local_out, local = local
    dask_out = tmp_path / "dask.jsonl"
    remote = distributed.run(paths(inputs), str(dask_out), model="rules", quiet=True, tokens=True,
                             scheduler=cluster.scheduler_address, partition_size=2)
    assert dask_out.read_bytes() == local_out.read_bytes()
    records = [json.loads(line) for line in dask_out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 3 + 8  # partitions of 2 articles came back in input order, nothing lost
    assert any(r["spans"] for r in records) and all(r["tokens"] for r in records)
    assert [str(e) for e in remote.errors] == [str(e) for e in local.errors]
    assert {e.file.rsplit("/", 1)[-1] for e in remote.errors} == {"binary.txt", "klue.jsonl"}
    assert (remote.articles, remote.labels) == (local.articles, local.labels)
    assert not Path(str(dask_out) + ".partial").exists()
    with Client(cluster) as client:  # each one-thread worker sized Kiwi's pool to one thread, told, not by env
        assert set(client.run(_kiwi_threads).values()) == {1}
        assert not any(client.run(os.environ.get, "KNER_KIWI_THREADS").values())


def _kiwi_threads():
    from kner.annotate import _Worker

    return _Worker.nlp.tokenizer.num_workers


@pytest.mark.slow
def test_cluster_resumes_an_interrupted_run(inputs, local, tmp_path, cluster):
    local_out, _ = local
    dask_out = tmp_path / "dask.jsonl"
    lines = local_out.read_text(encoding="utf-8").splitlines(keepends=True)
    partial = Path(str(dask_out) + ".partial")
    partial.write_text("".join(lines[:4]) + lines[4][:30], encoding="utf-8")  # killed mid-line
    summary = distributed.run(paths(inputs), str(dask_out), model="rules", quiet=True, tokens=True,
                              scheduler=cluster.scheduler_address, resume=True)
    assert (summary.resumed, summary.articles) == (4, len(lines) - 4)
    assert dask_out.read_bytes() == local_out.read_bytes()


def test_scheduler_without_the_dask_engine_is_refused(tmp_path):
    result = runner.invoke(app, ["annotate", str(REPO / "seeds"), "-o", str(tmp_path / "out.jsonl"),
                                 "--scheduler", "tcp://127.0.0.1:8786"])
    assert result.exit_code != 0
    assert "--scheduler needs --engine dask" in result.output


def test_unknown_engine_is_refused(tmp_path):
    result = runner.invoke(app, ["annotate", str(REPO / "seeds"), "-o", str(tmp_path / "out.jsonl"),
                                 "--engine", "spark"])
    assert result.exit_code != 0
    assert "unknown --engine" in result.output


@pytest.mark.slow
def test_cli_engine_dask_on_a_scheduler(inputs, local, tmp_path, cluster):
    local_out, _ = local
    out = tmp_path / "cli.jsonl"
    result = runner.invoke(app, ["annotate", *paths(inputs), "-o", str(out), "-m", "rules", "--tokens",
                                 "--quiet", "--engine", "dask", "--scheduler", cluster.scheduler_address])
    assert result.exit_code == 1, result.output  # the binary file and the broken line were skipped and named
    assert "binary.txt" in result.output and "klue.jsonl:5" in result.output
    assert out.read_bytes() == local_out.read_bytes()
