"""Reliability of span scores: is a span with score p right about p of the time? Bins of the final spans'
scores against the share of them that match a gold span exactly (strict), per evaluation set.

The merge fits its score on the domain dev part and KLUE's merge-dev part, so the domain test part and the check
set show calibration on data it never saw.

    python benchmarks/calibration.py [--model default] [--bins 0.5 0.6 0.7 0.8 0.9 0.95 1.0]

Bins are [a, b), the last one [a, 1.0]. The first bin ends at the merge's fitted threshold unless --bins says
otherwise, so it stays empty: no kept span scores below the threshold.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from ablation import DATASETS, load_dataset  # noqa: E402
from kner.evaluate import annotate_for_evaluation  # noqa: E402

UPPER_EDGES = (0.6, 0.7, 0.8, 0.9, 0.95, 1.0)  # bins above the threshold


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="default")
    ap.add_argument("--bins", type=float, nargs="+",
                    help="upper bin edges [default: the merge threshold, then 0.6 0.7 0.8 0.9 0.95 1.0]")
    args = ap.parse_args()
    from kner.nlp import load

    nlp = load(args.model)
    threshold = nlp.get_pipe("kner_merge").policy.threshold
    edges = [0.0, *(args.bins or [threshold, *(b for b in UPPER_EDGES if b > threshold)])]
    print("| data | " + " | ".join(f"{a:.2f}-{b:.2f}" for a, b in zip(edges, edges[1:], strict=False)) + " |")
    print("|---|" + "---|" * (len(edges) - 1))
    for name, (path, labels, heldout_only) in DATASETS.items():
        gold = load_dataset(path, heldout_only)
        pred = annotate_for_evaluation(nlp, gold)["combined"]
        n = [0] * (len(edges) - 1)
        right = [0] * (len(edges) - 1)
        for g, p in zip(gold, pred, strict=True):
            wanted = {(s.start, s.end, s.label) for s in g.spans if s.label in labels}
            for s in p.spans:
                if s.label not in labels:
                    continue
                k = next(i for i in range(len(n)) if s.score < edges[i + 1] or i == len(n) - 1)  # [a, b)
                n[k] += 1
                right[k] += (s.start, s.end, s.label) in wanted
        cells = [f"{r / c:.2f} ({c})" if c else "-" for r, c in zip(right, n, strict=True)]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("\ncell: share of spans in the score bin that are strictly right (number of spans)")


if __name__ == "__main__":
    main()
