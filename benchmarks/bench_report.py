"""Time `kner report` on synthetic annotated archives of 1,000 and 10,000 articles and record the page's size.

Run: python benchmarks/bench_report.py [--sizes 1000 10000] [--model default] [--repeat 3] [--browser] [--keep DIR]
The archive is synth.py's corpus (seed 0, a meta.date per article over 90 days) annotated once with
`kner annotate --jobs 2` at the largest size; smaller sizes are its first N records (synth.py's articles are a
prefix of any longer run). Each `kner report` is a fresh subprocess (start-up included): median wall time and
CPU time (steadier on a shared machine), peak RSS and the HTML file's size. With --browser, headless Chromium
(Debian's chromium + chromium-driver, Selenium) opens each page from disk: ms from navigation until the script
has drawn the tables and the article list.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))
from bench_memory import measure  # noqa: E402
from synth import articles  # noqa: E402

FIRST_DAY = datetime.date(2024, 1, 1)


def write_corpus(path: Path, n: int) -> None:
    """synth.py's `n` articles with a deterministic meta.date (90 days from 2024-01-01)."""
    with open(path, "w", encoding="utf-8") as f:
        for i, article in enumerate(articles(n)):
            article["meta"] = {"date": (FIRST_DAY + datetime.timedelta(days=i * 7 % 90)).isoformat()}
            f.write(json.dumps(article, ensure_ascii=False) + "\n")


def annotated(workdir: Path, n: int, model: str) -> Path:
    """The annotated archive of the first `n` articles (annotating the corpus once, kept in `workdir`)."""
    full = workdir / f"annotated-{model}-{n}.jsonl"
    if not full.exists():
        corpus = workdir / f"corpus-{n}.jsonl"
        write_corpus(corpus, n)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kner", "annotate", str(corpus), "-o", str(full), "--model", model,
                        "--jobs", "2", "--quiet", "--force"], cwd=ROOT, check=True)
        print(f"(annotated {n:,} articles with --model {model} in {time.perf_counter() - start:.0f} s)", flush=True)
    return full


def prefix(src: Path, dst: Path, n: int) -> Path:
    """The first `n` records of `src`."""
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
        out.writelines(itertools.islice(f, n))
    return dst


def timed(cmd: list[str], log: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system, from the children's rusage) and peak RSS of one run of `cmd`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds, peak, _ = measure(cmd, log)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu, peak


def main() -> None:
    """Annotate the largest archive once, then time `kner report` on each size; one table row per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--model", default="default", help="kner annotate --model for the archive (default: shipped)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of kner report per size (median)")
    parser.add_argument("--max-articles", type=int, default=None, help="kner report --max-articles")
    parser.add_argument("--browser", action="store_true", help="also open each page in headless Chromium")
    parser.add_argument("--keep", type=Path, default=None, help="keep the archives and pages in this directory")
    args = parser.parse_args()
    print(f"{time.strftime('%Y-%m-%d %H:%M')}  {platform.node()}  {os.cpu_count()} CPUs  "
          f"load {os.getloadavg()[0]:.1f}  model={args.model}  median of {args.repeat}")
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        full = annotated(work, max(args.sizes), args.model)
        print(f"{'articles':>9} {'spans':>9} {'archive':>9} {'report s':>9} {'CPU s':>6} {'peak RSS':>9} {'page':>9}"
              + (f" {'open ms':>8} {'browser':>8}" if args.browser else ""))
        for n in sorted(args.sizes):
            archive = full if n == max(args.sizes) else prefix(full, work / f"archive-{n}.jsonl", n)
            page = work / f"report-{n}.html"
            cmd = [sys.executable, "-m", "kner", "report", str(archive), "-o", str(page), "--force"]
            if args.max_articles is not None:
                cmd += ["--max-articles", str(args.max_articles)]
            runs = [timed(cmd, work / "stderr.txt") for _ in range(args.repeat)]
            seconds, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
            peak = max(r[2] for r in runs)
            spans = sum(len(json.loads(line)["spans"]) for line in open(archive, encoding="utf-8"))
            row = (f"{n:>9,} {spans:>9,} {archive.stat().st_size / 2**20:>7.1f}MB {seconds:>9.1f} {cpu:>6.1f} "
                   f"{peak / 2**20:>7.0f}MB {page.stat().st_size / 2**20:>7.1f}MB")
            if args.browser:
                row += " " + open_in_browser(page, args.repeat)
            print(row, flush=True)
    print(f"load at the end: {os.getloadavg()[0]:.1f}")


def open_in_browser(page: Path, repeat: int) -> str:
    """Median ms from navigation to the first draw, each time in a fresh Chromium, and the browser's version."""
    from browser import chromium, missing, open_report

    if missing():
        return f"(no browser: {missing()})"
    times = []
    for _ in range(repeat):
        with chromium() as driver:
            times.append(open_report(driver, page, timeout=120))
            version = driver.capabilities.get("browserVersion", "?")
    return f"{statistics.median(times):>8,.0f} {version}"


if __name__ == "__main__":
    main()
