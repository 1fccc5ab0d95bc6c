"""How the pipeline does on writers it never saw: retrain without the later writers' articles, score on them.

The domain corpus was written in rounds by different writers (article ids `wN-..`, data/README.md). For each
cut-off, the model is retrained on the domain corpus's training part without writers wN and later (the merge is
fitted on the dev part without them too) and scored, strict micro F1 with rules and model combined, on every
article of those unseen writers (all three parts), next to its score on the test part of the writers it saw. Unseen
writers bring new forms and styles, as real news does, so the gap between the two columns is the nearest measure
we have of what a user's new articles cost; the rows show how much each round of new writers closed it.

    python benchmarks/unseen_writers.py [--cutoffs 15 21]      # ~5 min per cut-off on 2 cores
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kner.evaluate import MICRO, annotate_for_evaluation, evaluate  # noqa: E402
from kner.records import LABELS  # noqa: E402
from kner.train import DEFAULT_DOMAIN, DEFAULT_DOMAIN_DEV, TrainConfig, read_gold, train  # noqa: E402

DOMAIN_TEST = ROOT / "data" / "domain" / "test.jsonl"


def writer(record_id: str) -> int:
    """The writer number of a domain article id (w12-07 -> 12)."""
    return int(record_id.split("-", 1)[0][1:])


def f1(nlp, records: list) -> float:
    """Strict micro F1 of the pipeline (rules and model combined) on gold `records`."""
    pred = annotate_for_evaluation(nlp, records)["combined"]
    return evaluate(records, pred, LABELS, bootstrap=0).scores["strict"][MICRO].f


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cutoffs", type=int, nargs="+", default=[15, 21], help="first unseen writer of each variant")
    args = ap.parse_args()
    from kner.nlp import load

    parts = {path: list(read_gold(path)) for path in (DEFAULT_DOMAIN, DEFAULT_DOMAIN_DEV, DOMAIN_TEST)}
    print("| writers seen | articles trained on | unseen writers' articles | F1 on them | F1 on seen writers' test |")
    print("|---|---:|---:|---:|---:|")
    for cutoff in args.cutoffs:
        with tempfile.TemporaryDirectory() as tmp:
            kept = {}
            for path, records in parts.items():
                kept[path] = Path(tmp) / path.name
                with open(kept[path], "w", encoding="utf-8") as f:
                    for r in records:
                        if writer(r.id) < cutoff:
                            f.write(r.to_json("gold") + "\n")
            with contextlib.redirect_stdout(sys.stderr):  # train's own line stays out of the table
                train(Path(tmp) / "model", config=TrainConfig(domain_train=kept[DEFAULT_DOMAIN],
                                                              domain_dev=kept[DEFAULT_DOMAIN_DEV]))
            nlp = load(str(Path(tmp) / "model"))
            unseen = [r for records in parts.values() for r in records if writer(r.id) >= cutoff]
            seen_test = [r for r in parts[DOMAIN_TEST] if writer(r.id) < cutoff]
            n_train = sum(writer(r.id) < cutoff for r in parts[DEFAULT_DOMAIN])
            print(f"| w1-w{cutoff - 1} | {n_train} | {len(unseen)} | {f1(nlp, unseen):.3f} | "
                  f"{f1(nlp, seen_test):.3f} |", flush=True)


if __name__ == "__main__":
    main()
