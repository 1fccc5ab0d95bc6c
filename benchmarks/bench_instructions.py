"""Instructions, not seconds: raw Kiwi vs `kner annotate --jobs 1` on the same articles, counted by callgrind.

On a shared machine the wall-clock ratio of bench_throughput.py moves by ±0.1 between runs. Valgrind's
callgrind counts the instructions a process executes, which does not depend on what else runs, so this ratio
is repeatable (the same inputs give the same count). Instructions are not time (cache misses and branch
mispredictions cost more per instruction in some code than in other), so read it beside the throughput ratio.

Both sides are run on the first W + N articles and on the first W (benchmarks/synth.py, seed 0); the difference
is the work on articles W+1 .. W+N without the load, as in bench_throughput.py. With W = 1 (the default) that is
a cold start: every word is new to spaCy's vocab and to the CRF featurizer's cache. With W = 100 it is the steady
state of a long run, where most words have been met before. Needs valgrind (`apt install valgrind`); ~6 min for
20 articles after 1, ~30 min for 50 after 100.

    python benchmarks/bench_instructions.py [--articles 20] [--after 1] [--model default]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_throughput import RAW_KIWI  # noqa: E402
from synth import write_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def instructions(cmd: list[str]) -> int:
    """Instructions executed by `cmd` (and nothing it does not exec itself), from callgrind's summary."""
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return int(re.search(r"Collected : (\d+)", out.stderr).group(1))


def main() -> None:
    """Count both sides on W + N articles and on W; print the instructions per char of the N and their ratio."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=20, help="articles counted (N)")
    ap.add_argument("--after", type=int, default=1, help="articles run before them and not counted (W >= 1)")
    ap.add_argument("--model", default="default")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus, before, out = Path(tmp) / "corpus.jsonl", Path(tmp) / "before.jsonl", Path(tmp) / "out.jsonl"
        chars = write_corpus(corpus, args.after + args.articles)
        before_chars = write_corpus(before, args.after)
        sides = {
            "raw Kiwi tokenize": lambda f: [sys.executable, "-c", RAW_KIWI, str(f), "single"],
            "kner annotate --jobs 1": lambda f: [sys.executable, "-m", "kner", "annotate", str(f), "-o", str(out),
                                                 "--model", args.model, "--quiet", "--force"],
        }
        per_char = {}
        for name, cmd in sides.items():
            n_all, n_before = instructions(cmd(corpus)), instructions(cmd(before))
            per_char[name] = (n_all - n_before) / (chars - before_chars)
            print(f"{name:24} {n_all:>16,} instructions ({args.after + args.articles} articles), {n_before:>16,} "
                  f"({args.after}): {per_char[name]:,.0f} per char of articles {args.after + 1}-"
                  f"{args.after + args.articles}", flush=True)
    kiwi, kner = per_char["raw Kiwi tokenize"], per_char["kner annotate --jobs 1"]
    print(f"kner / raw Kiwi, instructions per char: {kner / kiwi:.2f}x, i.e. a throughput ratio of {kiwi / kner:.2f}"
          f" at equal instructions per second   (target >= 0.50)")


if __name__ == "__main__":
    main()
