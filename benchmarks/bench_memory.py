"""Peak memory of `kner annotate` on 1k, 10k and 100k synthetic articles: it must stay flat as the input grows.

Run: python benchmarks/bench_memory.py [--sizes 1000 10000 100000] [--model rules] [--jobs 1]
Each size is one `kner annotate` run in a fresh subprocess on a corpus from benchmarks/synth.py (seed 0).
Prints, per size: the peak RSS of the largest process (from wait4's rusage, i.e. RUSAGE_CHILDREN for that run),
the peak of the summed RSS of the process tree (sampled from /proc every 0.2 s; differs with --jobs > 1)
and the run's wall time. 100k articles (~110 M characters) take about as long as 100 x the 1k run.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import write_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def tree_rss(pid: int) -> int:
    """Summed resident memory (bytes) of `pid` and its descendants, from /proc (0 once it has exited)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:"))
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo.extend(int(c) for c in f.read().split())
        except (OSError, StopIteration):
            continue
    return total


def measure(cmd: list[str], log: Path) -> tuple[float, int, int]:
    """Run `cmd`; return wall seconds, the largest process's peak RSS and the tree's sampled peak RSS (bytes)."""
    start = time.perf_counter()
    with open(log, "wb") as err:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
        peak_tree = 0
        while True:  # wait4 rather than poll(): it returns this run's rusage (max RSS over the child and its workers)
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak_tree = max(peak_tree, tree_rss(proc.pid))
            time.sleep(0.2)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{log.read_text(errors='replace')}")
    return time.perf_counter() - start, usage.ru_maxrss * 1024, peak_tree


def main() -> None:
    """Write each corpus, annotate it in a subprocess, print one table row per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--model", default="rules", help="kner --model (default: rules; 'default' = shipped model)")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    print(f"{time.strftime('%Y-%m-%d %H:%M')}  {platform.node()}  {os.cpu_count()} CPUs  "
          f"load {os.getloadavg()[0]:.1f}  model={args.model} jobs={args.jobs}")
    print(f"{'articles':>9} {'chars':>12} {'seconds':>8} {'chars/s':>8} {'peak RSS':>9} {'tree RSS':>9}")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            corpus, out = Path(tmp) / "corpus.jsonl", Path(tmp) / "out.jsonl"
            chars = write_corpus(corpus, n)
            cmd = [sys.executable, "-m", "kner", "annotate", str(corpus), "-o", str(out), "--model", args.model,
                   "--jobs", str(args.jobs), "--quiet"]
            seconds, peak, tree = measure(cmd, Path(tmp) / "stderr.txt")
        print(f"{n:>9,} {chars:>12,} {seconds:>8.0f} {chars / seconds:>8,.0f} {peak / 2**20:>7,.0f}MB "
              f"{tree / 2**20:>7,.0f}MB", flush=True)
    print(f"load at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
