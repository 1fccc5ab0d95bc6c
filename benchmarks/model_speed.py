"""Cost of each pipeline stage per token next to raw Kiwi, and the model's load time (CPU seconds, one process).

    python benchmarks/model_speed.py [--model models/kner-ko] [--repeat 3]

Texts: the seed articles, the check set and the held-out KLUE sentences. Each stage runs over the same
tokenized docs; the best of --repeat runs is kept (less noise from other processes on a shared machine).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kner.splits import split  # noqa: E402
from kner.train import read_gold  # noqa: E402


def texts() -> list[str]:
    """Benchmark texts: seeds, check set, held-out KLUE."""
    out = [r.text for r in read_gold(ROOT / "seeds/gold.jsonl")]
    check = ROOT / "benchmarks/data/checkset.jsonl"
    if check.is_file():
        out += [r.text for r in read_gold(check)]
    out += [r.text for r in split(read_gold(ROOT / "data/klue-ner/train.jsonl"), heldout=True)]
    return out


def best_of(repeat: int, fn) -> float:
    """Smallest CPU time of `repeat` calls of `fn`."""
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return min(times)


def main() -> None:
    """Print µs per token and chars/s for Kiwi, the tokenizer and each component."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="default")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from kner.nlp import load, resolve_model
    from kner.statistical import StatisticalTagger
    from kner.tokenize import get_kiwi

    data = texts()
    chars = sum(map(len, data))
    kiwi = get_kiwi()
    kiwi.tokenize("워밍업")
    t0 = time.perf_counter()
    nlp = load(args.model)
    load_s = time.perf_counter() - t0
    path = resolve_model(args.model if args.model != "default" else "kner-ko")
    t0 = time.perf_counter()
    StatisticalTagger(None).from_disk(path / "kner_model")
    model_load_s = time.perf_counter() - t0
    docs = [nlp.make_doc(t) for t in data]
    n_tok = sum(len(d) for d in docs)
    rows = [("raw Kiwi tokenize", best_of(args.repeat, lambda: [kiwi.tokenize(t) for t in data]))]
    rows.append(("Kiwi tokenizer -> Doc", best_of(args.repeat, lambda: [nlp.make_doc(t) for t in data])))
    for name, proc in nlp.pipeline:
        rows.append((name, best_of(args.repeat, lambda proc=proc: [proc(d) for d in docs])))
    print(f"{len(data)} texts, {chars} chars, {n_tok} tokens; pipeline load {load_s:.2f} s, "
          f"kner_model alone {model_load_s:.2f} s\n")
    print("| stage | µs/token | chars/s |")
    print("|---|---:|---:|")
    for name, sec in rows:
        print(f"| {name} | {sec / n_tok * 1e6:.1f} | {chars / sec:,.0f} |")
    total = sum(sec for name, sec in rows[1:])
    print(f"| whole pipeline (tokenizer + components) | {total / n_tok * 1e6:.1f} | {chars / total:,.0f} |")
    print(f"\npipeline / raw Kiwi throughput: {rows[0][1] / total:.2f}")


if __name__ == "__main__":
    main()
