"""Golden outputs: `kner annotate --tokens` on the seeds and the check set, shipped model and rules alone.

Any change to what the shipped pipeline writes fails here, so a refactor provably changes nothing else. When
the output is meant to change (a retrained model, a new rule), regenerate the files and review the diff:

    python tests/test_golden.py      # rewrites tests/golden/*.jsonl
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
INPUTS = {"seeds": "seeds/", "check": "benchmarks/data/checkset.jsonl"}
MODELS = ("default", "rules")
CASES = [(data, model) for data in INPUTS for model in MODELS]


def annotate(data: str, model: str, out: Path) -> None:
    """Run the command line exactly as a user would, from the repository root (meta.file is relative)."""
    cmd = [sys.executable, "-m", "kner", "annotate", INPUTS[data], "-o", str(out), "--tokens", "-m", model, "-q",
           "--force"]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)


@pytest.mark.parametrize(("data", "model"), CASES)
def test_annotate_output_is_unchanged(tmp_path, data, model):
    out = tmp_path / "out.jsonl"
    annotate(data, model, out)
    expected = (GOLDEN / f"{data}-{model}.jsonl").read_text(encoding="utf-8").splitlines()
    got = out.read_text(encoding="utf-8").splitlines()
    assert len(got) == len(expected)
    for want, have in zip(expected, got, strict=True):
        assert have == want


if __name__ == "__main__":
    for data, model in CASES:
        annotate(data, model, GOLDEN / f"{data}-{model}.jsonl")
        print(f"wrote {GOLDEN / f'{data}-{model}.jsonl'}")
