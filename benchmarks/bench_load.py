"""How fast load_annotations/load_documents read a synthetic annotated file with one million spans.

Run: python benchmarks/bench_load.py [--spans 1000000] [--gz]
Prints the file size, the wall and CPU seconds each loader takes, and spans (or records) per second.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import tempfile
import time
from pathlib import Path

from kner.frames import load_annotations, load_documents

WORDS = ["충북도는", "청주", "이차전지", "산업", "육성", "협의회를", "개최했다", "중소기업진흥공단", "지원", "사업",
         "창원국가산단에서", "소부장", "특화단지", "한국재료연구원", "경남TP", "구미5공단", "정책자금", "기업"]
LABELS = ["ORG", "LOC", "PROGRAM"]
SPANS_PER_RECORD = 60  # a seed article has 40-110 gold spans
SENTENCES_PER_RECORD = 30


def synthetic_record(i: int, rng: random.Random) -> dict:
    """An article-sized record in our output format: 30 sentences, 60 spans, file/line meta."""
    sentences, spans, text = [], [], ""
    for s in range(SENTENCES_PER_RECORD):
        words = [rng.choice(WORDS) for _ in range(12)]
        start = len(text)
        text += " ".join(words) + ". "
        sentences.append([start, len(text) - 1])
        pos = start
        for w, word in enumerate(words):
            if w in (0, 5) and len(spans) < SPANS_PER_RECORD:
                spans.append({"start": pos, "end": pos + len(word), "label": LABELS[(s + w) % 3], "text": word,
                              "source": "rules" if w == 0 else "model", "score": 0.9, "canonical": word})
            pos += len(word) + 1
    return {"id": f"{i:06d}", "text": text, "spans": spans, "sentences": sentences,
            "meta": {"file": f"news/{i:06d}.txt", "line": 0}, "kner": {"version": "0.1.0", "model": "bench"}}


def write_file(path: Path, n_spans: int) -> int:
    """Write records until `n_spans` spans; returns the number of records."""
    rng = random.Random(0)
    opener = gzip.open if path.suffix == ".gz" else open
    n_records = -(-n_spans // SPANS_PER_RECORD)
    with opener(path, "wt", encoding="utf-8") as f:
        for i in range(n_records):
            f.write(json.dumps(synthetic_record(i, rng), ensure_ascii=False) + "\n")
    return n_records


def timed(load, path):
    """(result, wall seconds, CPU seconds): CPU time shows the cost when other jobs share the cores."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = load(path)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    """Write the file once, then time each loader on it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spans", type=int, default=1_000_000)
    parser.add_argument("--gz", action="store_true", help="write and read .jsonl.gz instead of .jsonl")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("bench.jsonl.gz" if args.gz else "bench.jsonl")
        n_records = write_file(path, args.spans)
        print(f"file: {path.name}, {path.stat().st_size / 2**20:.0f} MiB, {n_records:,} records")
        spans, wall, cpu = timed(load_annotations, path)
        print(f"load_annotations: {len(spans):,} spans in {wall:.1f} s ({cpu:.1f} s CPU) = "
              f"{len(spans) / wall:,.0f} spans/s")
        docs, wall, cpu = timed(load_documents, path)
        print(f"load_documents:   {len(docs):,} records in {wall:.1f} s ({cpu:.1f} s CPU) = "
              f"{len(docs) / wall:,.0f} records/s")


if __name__ == "__main__":
    main()
