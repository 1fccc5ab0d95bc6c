"""Share of gold spans whose start and end fall on token edges (Kiwi tokens) and on the model's unit edges.

A span that cuts a token (대전시 in 대전시장, 남 in 남북) cannot be predicted by a token-level tagger; the
statistical tagger labels sub-token units (pipeline/statistical.py), so what counts for it is the unit line.

    python benchmarks/boundaries.py [--show 20]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kner.records import LABELS  # noqa: E402
from kner.statistical import doc_units  # noqa: E402
from kner.train import read_gold, tokenizer_nlp  # noqa: E402

DATASETS = {
    "KLUE (all, ORG+LOC)": (ROOT / "data/klue-ner/train.jsonl", ("ORG", "LOC")),
    "seed gold": (ROOT / "seeds/gold.jsonl", LABELS),
    "check set": (ROOT / "benchmarks/data/checkset.jsonl", LABELS),
}


def edges(nlp, text: str) -> tuple[set[int], set[int]]:
    """(token edges, unit edges) of `text` as character offsets."""
    doc = nlp(text)
    tokens = {t.idx for t in doc} | {t.idx + len(t.text) for t in doc}
    units = {e for us in doc_units(doc) for u in us for e in (u.start, u.end)}
    return tokens, units


def main() -> None:
    """Print, per dataset, how many gold spans each segmentation can represent exactly."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", type=int, default=10, help="list this many spans that cut a unit")
    args = ap.parse_args()
    nlp = tokenizer_nlp()
    print("| data | gold spans | on token edges | on unit edges |")
    print("|---|---:|---:|---:|")
    missed = []
    for name, (path, labels) in DATASETS.items():
        if not path.is_file():
            continue
        n = on_tokens = on_units = 0
        for rec in read_gold(path):
            tokens, units = edges(nlp, rec.text)
            for s in rec.spans:
                if s.label not in labels:
                    continue
                n += 1
                on_tokens += s.start in tokens and s.end in tokens
                ok = s.start in units and s.end in units
                on_units += ok
                if not ok:
                    missed.append((name, s.text, rec.text[max(0, s.start - 10):s.end + 10]))
        print(f"| {name} | {n} | {on_tokens / n:.2%} | {on_units / n:.2%} |")
    for name, surface, context in missed[:args.show]:
        print(f"cuts a unit ({name}): {surface!r} in {context!r}")


if __name__ == "__main__":
    main()
