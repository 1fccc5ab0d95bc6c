"""Synthetic news corpora for the benchmarks: real sentences (seed articles + KLUE) resampled into articles.

Deterministic for a given seed, so every benchmark run (and every machine) annotates the same texts.
Run alone to write a corpus: python benchmarks/synth.py 1000 corpus.jsonl [--seed 0]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
MIN_SENTENCES, MAX_SENTENCES = 8, 30  # a seed article has about 20-40 sentences; wire news is often shorter
SENTENCES_PER_PARAGRAPH = 3


def sentence_pool(root: Path = ROOT) -> list[str]:
    """Every sentence of the seed articles (split at sentence-final punctuation) and every KLUE sentence."""
    pool: list[str] = []
    for path in sorted((root / "seeds").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            pool.extend(s for s in SENTENCE_END.split(line.strip()) if len(s) > 1)
    with open(root / "data" / "klue-ner" / "train.jsonl", encoding="utf-8") as f:
        pool.extend(json.loads(line)["text"].strip() for line in f if line.strip())
    return pool


def articles(n: int, seed: int = 0, pool: list[str] | None = None) -> Iterator[dict]:
    """`n` articles as {"id", "text"} dicts: a title line, then paragraphs of resampled sentences."""
    pool = pool or sentence_pool()
    rng = random.Random(seed)
    for i in range(n):
        sentences = rng.choices(pool, k=rng.randint(MIN_SENTENCES, MAX_SENTENCES))
        paragraphs = [" ".join(sentences[j:j + SENTENCES_PER_PARAGRAPH])
                      for j in range(1, len(sentences), SENTENCES_PER_PARAGRAPH)]
        yield {"id": f"synth-{i:06d}", "text": "\n\n".join([sentences[0], *paragraphs])}


def write_corpus(path: str | Path, n: int, seed: int = 0) -> int:
    """Write `n` synthetic articles as JSONL (gzip when the name ends in .gz); returns the number of characters."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    chars = 0
    with opener(path, "wt", encoding="utf-8") as f:
        for article in articles(n, seed):
            chars += len(article["text"])
            f.write(json.dumps(article, ensure_ascii=False) + "\n")
    return chars


def main() -> None:
    """Command line: write a corpus file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out", help="output .jsonl or .jsonl.gz")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    chars = write_corpus(args.out, args.n, args.seed)
    print(f"{args.out}: {args.n:,} articles, {chars:,} chars")


if __name__ == "__main__":
    main()
