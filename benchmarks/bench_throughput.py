"""Throughput from one run on the same texts: raw Kiwi vs `kner annotate --jobs 1` and `--jobs 2`, and load time.

Run: python benchmarks/bench_throughput.py [--articles 500] [--model rules] [--repeat 1] [--dask] [--load-only]
Every measurement is a fresh subprocess on one synthetic corpus (benchmarks/synth.py, seed 0):
- load: import the package, load the pipeline and annotate one sentence (Kiwi is built on first use), with the
  CPU of each of the three steps; `--load-only` times just this, `--repeat` times;
- raw Kiwi: `Kiwi(num_workers=1, load_multi_dict=False).tokenize(text)` (Kiwi as the pipeline configures it,
  kner.tokenize.get_kiwi) over every article, Kiwi built before the clock starts: the reference of the
  target ratio. Also shown: Kiwi with its default options (`Kiwi(num_workers=1)`, multi-word dictionary loaded),
  which is slower;
- kner annotate: the CLI on the corpus, minus the same command on a one-article corpus (start-up and load),
  so both sides count only the per-article work. Wall and CPU time are both shown: on a shared machine the CPU
  figures are the steadier ones, the `--jobs 2` speed-up can only be seen on the wall clock. Dask's worker
  processes are not children that rusage can see, so its rows show wall time only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import write_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

RAW_KIWI = """
import json, sys, time
from kiwipiepy import Kiwi
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
kiwi = Kiwi(num_workers=1, load_multi_dict=sys.argv[2] == 'multi')
kiwi.tokenize("워밍업 문장입니다.")
wall, cpu = time.perf_counter(), time.process_time()
for text in texts:
    kiwi.tokenize(text)
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}))
"""

LOAD = """
import json, sys, time
wall, cpu = time.perf_counter(), time.process_time()
steps = {}
def step(name):
    steps[name] = time.process_time() - cpu - sum(steps.values())
from kner.nlp import load
step("import")
nlp = load(sys.argv[1])
step("load()")
nlp("충북도는 30일 청주에서 이차전지 산업 육성 협의회를 개최했다.")
step("first sentence")
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, **steps}))
"""
LOAD_STEPS = ("import", "load()", "first sentence")  # CPU s of each; the first sentence builds Kiwi


def python(code: str, *args: str) -> dict:
    """Run a snippet in a fresh interpreter; it prints its timings as JSON."""
    out = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.splitlines()[-1])


def annotate(corpus: Path, model: str, jobs: int, engine: str = "local") -> dict:
    """Time `kner annotate` in a subprocess: wall clock and CPU of it and its workers (from wait4's rusage)."""
    cmd = [sys.executable, "-m", "kner", "annotate", str(corpus), "-o", str(corpus.with_suffix(".out.jsonl")),
           "--model", model, "--jobs", str(jobs), "--engine", engine, "--quiet", "--force"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited with {proc.returncode}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime}


def median(runs: list[dict], key: str) -> float:
    """Median of one timing over the repeats."""
    return statistics.median(r[key] for r in runs)


def print_load(loads: list[dict], note: str) -> None:
    """The pipeline load line: total wall and CPU, and the CPU of each step (medians)."""
    steps = ", ".join(f"{k} {median(loads, k):.2f}" for k in LOAD_STEPS)
    print(f"pipeline load (import + load + first sentence): {median(loads, 'wall'):.1f} s wall, "
          f"{median(loads, 'cpu'):.1f} s CPU ({steps} s CPU){'; ' + note if note else ''}")


def main() -> None:
    """Measure everything on one corpus, `--repeat` times interleaved, and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--model", default="rules", help="kner --model (default: rules; 'default' = shipped model)")
    parser.add_argument("--repeat", type=int, default=1, help="interleaved repetitions; medians are printed")
    parser.add_argument("--dask", action="store_true", help="also time --engine dask --jobs 2 (local cluster)")
    parser.add_argument("--load-only", action="store_true", help="only time the pipeline load, --repeat times")
    args = parser.parse_args()
    cpu_name = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                    platform.processor())
    print(f"{time.strftime('%Y-%m-%d %H:%M')}  {platform.node()}  {os.cpu_count()} x {cpu_name}  "
          f"load {os.getloadavg()[0]:.1f}  model={args.model}")
    if args.load_only:
        loads = [python(LOAD, args.model) for _ in range(args.repeat)]
        print_load(loads, f"medians of {args.repeat} run(s)")
        for r in loads:
            print("  run: " + "  ".join(f"{k} {r[k]:.2f}" for k in ("wall", "cpu", *LOAD_STEPS)))
        print(f"load at the end: {os.getloadavg()[0]:.1f}")
        return
    engines = [("1", 1, "local"), ("2", 2, "local")] + ([("dask 2", 2, "dask")] if args.dask else [])
    runs: dict[str, list[dict]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        corpus, one = Path(tmp) / "corpus.jsonl", Path(tmp) / "one.jsonl"
        chars = write_corpus(corpus, args.articles)
        write_corpus(one, 1)
        for _ in range(args.repeat):
            runs["load"].append(python(LOAD, args.model))
            runs["kiwi"].append(python(RAW_KIWI, str(corpus), "single"))
            runs["kiwi default"].append(python(RAW_KIWI, str(corpus), "multi"))
            for key, jobs, engine in engines:
                runs[f"one{key}"].append(annotate(one, args.model, jobs, engine))
                runs[f"all{key}"].append(annotate(corpus, args.model, jobs, engine))
    n = args.articles
    print(f"corpus: {n:,} articles, {chars:,} chars; medians of {args.repeat} run(s)")
    print_load(runs["load"], "")
    rows = {"raw Kiwi tokenize": {k: median(runs["kiwi"], k) for k in ("wall", "cpu")},
            "raw Kiwi, default options": {k: median(runs["kiwi default"], k) for k in ("wall", "cpu")}}
    for key, jobs, engine in engines:
        name = f"kner annotate --jobs {jobs}" + (" --engine dask" if engine == "dask" else "")
        rows[name] = {k: median(runs[f"all{key}"], k) - median(runs[f"one{key}"], k) for k in ("wall", "cpu")}
        rows[f"  (incl. start-up{', dask' if engine == 'dask' else ''}, --jobs {jobs})"] = {
            k: median(runs[f"all{key}"], k) for k in ("wall", "cpu")}
    print(f"{'':40} {'wall s':>7} {'chars/s':>9} {'articles/s':>10} {'CPU s':>7} {'chars/CPU-s':>11}")
    for name, t in rows.items():
        cpu = f"{t['cpu']:>7.1f} {chars / t['cpu']:>11,.0f}" if "dask" not in name else "      -           -"
        print(f"{name:40} {t['wall']:>7.1f} {chars / t['wall']:>9,.0f} {n / t['wall']:>10.1f} {cpu}")
    kiwi, one, two = rows["raw Kiwi tokenize"], rows["kner annotate --jobs 1"], rows["kner annotate --jobs 2"]
    print(f"kner --jobs 1 / raw Kiwi throughput: {kiwi['wall'] / one['wall']:.2f} (wall), "
          f"{kiwi['cpu'] / one['cpu']:.2f} (CPU)   target >= 0.50")
    default = rows["raw Kiwi, default options"]
    print(f"  (against Kiwi's default options:   {default['wall'] / one['wall']:.2f} (wall), "
          f"{default['cpu'] / one['cpu']:.2f} (CPU))")
    print(f"--jobs 2 speed-up over --jobs 1:     {one['wall'] / two['wall']:.2f}x (wall)   target >= 1.7x; "
          f"CPU spent: {two['cpu'] / one['cpu']:.2f}x of --jobs 1")
    print(f"load at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
