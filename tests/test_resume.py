"""No run loses, corrupts or redoes a record: interrupted anywhere, resumed any number of times, the final output
equals an uninterrupted run's; two runs on one output never mix; finished inputs are matched however they are
spelled.
"""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kner import annotate, output
from kner.output import partial_path

REPO = Path(__file__).resolve().parent.parent
TEXTS = ["충북도는 이차전지 산업 육성 협의회를 열었다.", "경상남도 창원시는 소부장 특화단지를 추진한다.",
         "구미시는 스마트산단 사업을 발표했다.", "㈜한빛소재와 경남TP가 협약했다."]


def write_inputs(folder: Path) -> list[str]:
    """Twelve articles in JSONL (one repeated with the same id and text, one bad line) and two .txt files."""
    lines = [json.dumps({"id": f"a{i}", "text": TEXTS[i % 4] + f" {i}번째"}, ensure_ascii=False) for i in range(10)]
    lines.insert(4, lines[2])  # a duplicate record: written twice by any run, so kept twice by a resume
    lines.insert(7, "{broken")
    (folder / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "docs").mkdir()
    for i in range(2):
        (folder / "docs" / f"t{i}.txt").write_text(TEXTS[i], encoding="utf-8")
    return [str(folder / "in.jsonl"), str(folder / "docs")]


def run(inputs, out, resume=False):
    return annotate.run(inputs, str(out), model="rules", resume=resume, quiet=True, err=io.StringIO())


def content(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


class Stop(KeyboardInterrupt):
    """The interruption a fault injects (a KeyboardInterrupt, as Ctrl-C or SIGTERM raise in a run)."""


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    folder = tmp_path_factory.mktemp("resume")
    inputs = write_inputs(folder)
    out = folder / "reference.jsonl"
    summary = run(inputs, out)
    assert summary.articles == 13 and len(summary.errors) == 1
    return folder, inputs, content(out)


STEP = st.tuples(
    st.sampled_from(["write", "replace", "truncate", "copy", "none"]),  # where the run is stopped
    st.integers(0, 14),  # after how many of those calls
    st.floats(0, 1),  # how much of what this run wrote reached the disk (a kill loses buffered writes)
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=1, max_size=4), gz=st.booleans(), finished_first=st.booleans())
def test_interrupted_anywhere_and_resumed_equals_an_uninterrupted_run(reference, steps, gz, finished_first,
                                                                      tmp_path_factory):
    _, inputs, expected = reference
    out = tmp_path_factory.mktemp("faults") / ("out.jsonl.gz" if gz else "out.jsonl")
    if finished_first:  # a finished OUT resumed again (with the same inputs) must come out the same
        run(inputs, out)
    for i, (where, after, reached) in enumerate(steps):
        before = partial_path(out).stat().st_size if partial_path(out).exists() else 0
        with _stopped(where, after):
            try:
                run(inputs, out, resume=finished_first or i > 0)
            except Stop:
                pass
        partial = partial_path(out)
        if where == "write" and partial.exists():  # lose part of what this run wrote, mid-line if so be it
            size = partial.stat().st_size
            keep = before + int((size - before) * reached) if size > before else size
            with open(partial, "r+b") as f:
                f.truncate(keep)
    run(inputs, out, resume=True)
    assert content(out) == expected
    assert not partial_path(out).exists() and not output.lock_path(out).exists()


class _stopped:
    """Raise Stop at the `after`-th call of one operation of the writer: writing a line, renaming a file,
    cutting the torn tail, or copying a finished output's lines."""

    def __init__(self, where: str, after: int):
        self.where, self.after, self.calls, self.undo = where, after, 0, []

    def _tick(self):
        self.calls += 1
        if self.calls > self.after:
            raise Stop

    # where -> (owner, attribute, tick after the real call rather than before it)
    TARGETS = {"write": (output.AtomicJsonlWriter, "write", False), "replace": (output.os, "replace", False),
               "truncate": (output, "_complete_lines", True), "copy": (output, "_whole_lines", False)}

    def __enter__(self):
        if self.where not in self.TARGETS:
            return self
        owner, name, after = self.TARGETS[self.where]
        real, tick = getattr(owner, name), self._tick
        if self.where == "copy":  # a generator: stop between two of the lines it copies

            def wrapped(*args):
                for line in real(*args):
                    tick()
                    yield line
        else:

            def wrapped(*args):
                if not after:
                    tick()
                result = real(*args)
                if after:
                    tick()
                return result

        self._patch(owner, name, wrapped)
        return self

    def _patch(self, owner, name, value):
        self.undo.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    def __exit__(self, *exc):
        for owner, name, value in reversed(self.undo):
            setattr(owner, name, value)
        return False


def test_resume_matches_finished_inputs_however_their_path_is_spelled(reference, tmp_path, monkeypatch):
    folder, inputs, expected = reference
    out = tmp_path / "out.jsonl"
    monkeypatch.chdir(folder)
    with _stopped("write", 6):
        with pytest.raises(Stop):
            run(["in.jsonl", "docs"], out)
    summary = run([str(folder / "in.jsonl"), str(folder / "docs" / ".." / "docs")], out, resume=True)
    assert summary.resumed == 6 and summary.articles == 13 - 6  # nothing annotated twice
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 13 and [r["id"] for r in records] == [json.loads(x)["id"] for x in expected.splitlines()]


def _start(args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "kner", *args], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


@pytest.mark.slow
def test_two_runs_on_one_output_never_mix(reference, tmp_path):
    folder, _, _ = reference
    big = tmp_path / "big.jsonl"
    with open(big, "w", encoding="utf-8") as f:
        for i in range(400):
            f.write(json.dumps({"id": str(i), "text": TEXTS[i % 4] * 3}, ensure_ascii=False) + "\n")
    out = tmp_path / "out.jsonl"
    first = _start(["annotate", str(big), "-o", str(out), "-m", "rules", "-q"])
    deadline = time.time() + 60
    while not output.lock_path(out).exists() and time.time() < deadline:
        time.sleep(0.05)
    second = _start(["annotate", str(big), "-o", str(out), "-m", "rules", "-q", "--force"])
    _, err2 = second.communicate(timeout=120)
    _, err1 = first.communicate(timeout=300)
    assert first.returncode == 0, err1
    assert second.returncode == 1 and "[E301]" in err2 and f"pid {first.pid}" in err2, err2
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [str(i) for i in range(400)]


@pytest.mark.slow
def test_a_killed_run_resumes_to_the_same_output(reference, tmp_path):
    """SIGKILL (no clean-up at all) in the middle of a run, then --resume: the same bytes as a run never stopped."""
    folder, inputs, expected = reference
    out = tmp_path / "out.jsonl"
    big = tmp_path / "big.jsonl"
    with open(big, "w", encoding="utf-8") as f:
        for i in range(300):
            f.write(json.dumps({"id": str(i), "text": TEXTS[i % 4] * 2}, ensure_ascii=False) + "\n")
    whole = tmp_path / "whole.jsonl"
    assert _start(["annotate", str(big), "-o", str(whole), "-m", "rules", "-q"]).wait(timeout=300) == 0
    proc = _start(["annotate", str(big), "-o", str(out), "-m", "rules", "-q"])
    deadline = time.time() + 120
    while time.time() < deadline and (not partial_path(out).exists() or partial_path(out).stat().st_size < 20_000):
        time.sleep(0.02)
    proc.kill()
    proc.wait()
    resumed = _start(["annotate", str(big), "-o", str(out), "-m", "rules", "-q", "--resume"])
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert "kept from the interrupted run" in err
    assert out.read_bytes() == whole.read_bytes()
