"""Precision and recall of the distant-supervision silver (kner.distant), measured on gold KLUE sentences.

The silver for the 21k raw KLUE training sentences is made from konec's list of the forms annotated in those same
sentences. The same procedure is run here on the 3,504 gold KLUE sentences of data/klue-ner: the form list is
built from konec's fine labels on exactly these sentences (data/konec/train-split.jsonl), the labeller puts the
spans back into the texts, and the result is scored strictly against KLUE's own gold ORG, LOC and PS spans.

    python benchmarks/silver_quality.py [--purity 0.8]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kner.distant import DistantLabeller, coarse_label, select_forms  # noqa: E402
from kner.evaluate import MICRO, evaluate  # noqa: E402
from kner.train import read_gold  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--purity", type=float, default=0.8)
    args = ap.parse_args()
    counts: dict[str, Counter] = {}
    for rec in read_gold(ROOT / "data/konec/train-split.jsonl"):
        for span in rec.spans:
            counts.setdefault(rec.text[span.start:span.end], Counter())[coarse_label(span.label)] += 1
    labeller = DistantLabeller(select_forms(counts, args.purity))
    gold = list(read_gold(ROOT / "data/klue-ner/train.jsonl"))
    silver = [g.with_spans(labeller.spans(g.text)) for g in gold]
    ev = evaluate(gold, silver, ("ORG", "LOC", "PS"), bootstrap=0)
    print(f"{len(labeller.forms):,} forms (purity {args.purity}) from konec's labels on {len(gold):,} gold KLUE "
          "sentences; silver vs KLUE gold, strict:")
    for label in ("ORG", "LOC", "PS", MICRO):
        s = ev.scores["strict"][label]
        print(f"  {label:6s} P {s.p:.3f}  R {s.r:.3f}  F1 {s.f:.3f}")


if __name__ == "__main__":
    main()
