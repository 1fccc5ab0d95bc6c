"""Ablation: rules only, model only and combined (the pipeline's merge), strict P/R/F1 on held-out data.

Data the model never trained on: the held-out KLUE split (ORG, LOC; kner.splits), the seed gold
(seeds/gold.jsonl, all three labels) and the independent check set (benchmarks/data/checkset.jsonl, all three).

    python benchmarks/ablation.py [--model models/kner-ko] [--markdown]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kner.evaluate import MICRO, annotate_for_evaluation, evaluate  # noqa: E402
from kner.records import LABELS  # noqa: E402
from kner.splits import split  # noqa: E402
from kner.train import read_gold  # noqa: E402

DATASETS = {
    "KLUE held-out": (ROOT / "data/klue-ner/train.jsonl", ("ORG", "LOC"), True),
    "seed gold": (ROOT / "seeds/gold.jsonl", LABELS, False),
    "check set": (ROOT / "benchmarks/data/checkset.jsonl", LABELS, False),
    "domain dev": (ROOT / "data/domain/dev.jsonl", LABELS, False),
    "domain test": (ROOT / "data/domain/test.jsonl", LABELS, False),
}
SYSTEMS = ("rules", "model", "combined")


def load_dataset(path: Path, heldout_only: bool) -> list:
    """Gold records; for KLUE only the held-out split."""
    records = read_gold(path)
    return list(split(records, heldout=True) if heldout_only else records)


def ablation(nlp, gold: list, labels: tuple[str, ...]) -> dict:
    """{system: Evaluation} for rules, model and combined on `gold`."""
    systems = annotate_for_evaluation(nlp, gold)
    return {name: evaluate(gold, systems[name], labels, bootstrap=0) for name in SYSTEMS if name in systems}


def main() -> None:
    """Print one table row per dataset and system: strict P/R/F1 per label and micro."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="default", help="pipeline to test (default: the shipped one)")
    args = ap.parse_args()
    from kner.nlp import load

    nlp = load(args.model)
    print("strict P / R / F1 (micro over the dataset's labels)\n")
    print("| data | system | " + " | ".join(LABELS) + " | micro |")
    print("|---|---|" + "---|" * (len(LABELS) + 1))
    for name, (path, labels, heldout_only) in DATASETS.items():
        if not path.is_file():
            print(f"| {name} | (missing {path}) |")
            continue
        gold = load_dataset(path, heldout_only)
        for system, ev in ablation(nlp, gold, labels).items():
            strict = ev.scores["strict"]
            cells = [f"{strict[k].p:.3f} / {strict[k].r:.3f} / {strict[k].f:.3f}" if k in strict else "-"
                     for k in (*LABELS, MICRO)]
            print(f"| {name} ({len(gold)} docs) | {system} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
