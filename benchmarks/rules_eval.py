"""Strict P/R/F1 per label of the rule tagger alone on the seed gold and on KLUE ORG/LOC (figures for docs/rules.md).

Usage: python benchmarks/rules_eval.py [--by-rule] [--errors N] [--klue-limit N]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kner import rules  # noqa: E402,F401  (registers the factory)
from kner.evaluate import MICRO, evaluate  # noqa: E402
from kner.layers import get_layer  # noqa: E402
from kner.nlp import blank  # noqa: E402
from kner.records import Record  # noqa: E402

DATASETS = {"seeds/gold.jsonl": ("ORG", "LOC", "PROGRAM"), "data/klue-ner/train.jsonl": ("ORG", "LOC")}


def load(path: Path, limit: int | None) -> list[Record]:
    """Gold records of a JSONL file (the first `limit` when given)."""
    import srsly

    out = [Record.from_dict(d) for d in srsly.read_jsonl(path)]
    return out[:limit] if limit else out


def predict(nlp, gold: list[Record]) -> list[Record]:
    """Records with the rules layer as their spans."""
    return [g.with_spans(get_layer(doc, "rules")) for g, doc in zip(gold, nlp.pipe(g.text for g in gold), strict=True)]


def by_rule(gold: list[Record], pred: list[Record], labels: tuple[str, ...]) -> dict[str, Counter]:
    """Per rule family: predicted spans and how many match a gold span exactly."""
    out: dict[str, Counter] = {}
    for g, p in zip(gold, pred, strict=True):
        keys = {(s.start, s.end, s.label) for s in g.spans}
        for s in p.spans:
            if s.label in labels:
                c = out.setdefault(s.rule.split(":")[0], Counter())
                c["pred"] += 1
                c["correct"] += (s.start, s.end, s.label) in keys
    return out


def main() -> None:
    """Print the tables."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--by-rule", action="store_true", help="precision of each rule family (sets SCORES)")
    ap.add_argument("--errors", type=int, default=0, help="print up to N errors per data set")
    ap.add_argument("--klue-limit", type=int, default=None, help="only the first N KLUE sentences")
    args = ap.parse_args()
    nlp = blank()
    nlp.add_pipe("kner_rules")
    for rel, labels in DATASETS.items():
        gold = load(ROOT / rel, args.klue_limit if "klue" in rel else None)
        pred = predict(nlp, gold)
        ev = evaluate(gold, pred, labels, bootstrap=0)
        print(f"\n## {rel} ({len(gold)} records), rules alone, strict")
        print("| label | gold | pred | P | R | F1 |\n|---|---:|---:|---:|---:|---:|")
        for key in (*labels, MICRO):
            sc = ev.scores["strict"][key]
            print(f"| {key} | {sc.counts.n_gold} | {sc.counts.n_pred} | {sc.p:.3f} | {sc.r:.3f} | {sc.f:.3f} |")
        blind = ev.scores["label_blind"][MICRO]
        relaxed = ev.scores["relaxed"][MICRO]
        print(f"micro label-blind F1 {blind.f:.3f}; boundary-relaxed F1 {relaxed.f:.3f}")
        if args.by_rule:
            print("| rule family | pred | correct | precision |\n|---|---:|---:|---:|")
            for rule, c in sorted(by_rule(gold, pred, labels).items()):
                print(f"| {rule} | {c['pred']} | {c['correct']} | {c['correct'] / c['pred']:.2f} |")
        shown = 0
        for d in ev.docs:
            for m in d.errors:
                if shown >= args.errors:
                    break
                shown += 1
                g = f"{m.gold.label} {d.text[m.gold.start:m.gold.end]!r}" if m.gold else "-"
                p = f"{m.pred.label} {d.text[m.pred.start:m.pred.end]!r} [{m.pred.rule}]" if m.pred else "-"
                ctx = d.text[max(0, m.start - 12):m.end + 8].replace("\n", " ")
                print(f"  {m.type:15} gold {g:40} pred {p:50} | {ctx}")


if __name__ == "__main__":
    main()
