"""Score pipelines on the dev data the training choices are made on: KLUE's merge-dev part and the domain dev part.

KLUE's merge-dev part (ORG, LOC; address chains split as in training, `kner.train.klue_records`) and
`data/domain/dev.jsonl` (ORG, LOC, PROGRAM) fit the merge and never train the CRF, so a setting (KLUE's repeat,
name dropout, a feature) is chosen on them and the held-out sets stay for reporting. Strict micro F1, rules and
model combined and model alone, one line per pipeline:

    python benchmarks/dev_eval.py default /tmp/variant      # each pipeline ~1-2 min on 2 cores
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kner.evaluate import MICRO, annotate_for_evaluation, evaluate  # noqa: E402
from kner.records import LABELS  # noqa: E402
from kner.train import DEFAULT_DOMAIN_DEV, DEFAULT_KLUE, klue_records, read_gold, tokenizer_nlp  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs="+", help="pipelines to score: 'default' or model directories")
    args = ap.parse_args()
    from kner.nlp import load

    dev = {"KLUE merge-dev": (klue_records(tokenizer_nlp(), DEFAULT_KLUE, merge_dev=True), ("ORG", "LOC")),
           "domain dev": (list(read_gold(DEFAULT_DOMAIN_DEV)), LABELS)}
    for model in args.models:
        nlp = load(model)
        cells = []
        for name, (gold, labels) in dev.items():
            systems = annotate_for_evaluation(nlp, gold)
            f = {s: evaluate(gold, systems[s], labels, bootstrap=0).scores["strict"][MICRO].f
                 for s in ("combined", "model")}
            cells.append(f"{name} combined {f['combined']:.4f} model {f['model']:.4f}")
        print(f"{model}: " + " | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
