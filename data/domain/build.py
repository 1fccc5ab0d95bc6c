"""Build the domain gold corpus (data/domain/{train,dev,test}.jsonl) from marked-up articles, and check them.

Each article is written twice: `raw/ID.txt` is the article text as a reader sees it, and `marked/ID.txt`
is the same text with every entity written inline as [[surface|LABEL]] (annotated by docs/annotation.md in a
separate pass). Stripping the markup must give the raw text back exactly, so offsets are exact by
construction. `marked2/ID.txt` holds a blind second annotation of some articles, for agreement.

Usage:
  python data/domain/build.py              # check everything, write train/dev/test.jsonl, print counts
  python data/domain/build.py --check IDS  # check only these articles, print their spans, write nothing
  python data/domain/build.py --agreement  # strict F1 between marked/ and marked2/
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

from kner.formats.markup import strip_markup

HERE = Path(__file__).resolve().parent
LABELS = ("ORG", "LOC", "PROGRAM")
SPLITS = (("train", 70), ("dev", 15), ("test", 15))  # percent of articles, by a salted hash of the id
_SALT = "kner-domain-v1:"


def split_of(article_id: str) -> str:
    """The fixed split of an article: a salted SHA-1 of its id, so it never moves when articles are added."""
    bucket = int(hashlib.sha1((_SALT + article_id).encode("utf-8")).hexdigest()[:8], 16) % 100
    for name, percent in SPLITS:
        if bucket < percent:
            return name
        bucket -= percent
    raise AssertionError("split percentages must add up to 100")


def problems_of(article_id: str, raw: str, text: str, spans: list[dict]) -> list[str]:
    """What is wrong with one annotated article (empty when it is fine)."""
    out = []
    if text != raw:
        at = next((i for i, (a, b) in enumerate(zip(text, raw, strict=False)) if a != b), min(len(text), len(raw)))
        out.append(f"{article_id}: marked text differs from raw at char {at}: "
                   f"marked {text[at:at + 30]!r} vs raw {raw[at:at + 30]!r}")
    for leftover in re.finditer(r"\[\[|\]\]", text):
        out.append(f"{article_id}: stray markup {text[leftover.start():leftover.start() + 30]!r}")
    for sp in spans:
        surface = text[sp["start"]:sp["end"]]
        if surface != surface.strip():
            out.append(f"{article_id}: span {surface!r} has whitespace at an edge")
    return out


def read_pass(folder: str) -> dict[str, tuple[str, list[dict]]]:
    """Every article annotated in one folder (marked/ or marked2/): id -> (text, spans)."""
    return {p.stem: strip_markup(p.read_text(encoding="utf-8")) for p in sorted((HERE / folder).glob("*.txt"))}


def raw_text(article_id: str) -> str:
    return (HERE / "raw" / f"{article_id}.txt").read_text(encoding="utf-8")


def check(ids: list[str]) -> int:
    """Print the spans of these articles for review and say what is wrong with them."""
    bad = 0
    for article_id in ids:
        text, spans = strip_markup((HERE / "marked" / f"{article_id}.txt").read_text(encoding="utf-8"))
        for p in problems_of(article_id, raw_text(article_id), text, spans):
            print("PROBLEM:", p)
            bad += 1
        counts = Counter(sp["label"] for sp in spans)
        print(f"{article_id}: {len(text)} chars, {len(spans)} spans {dict(counts)}")
    return 1 if bad else 0


def agreement() -> int:
    """Strict micro F1 between the first and the blind second annotation, over the articles both have."""
    first, second = read_pass("marked"), read_pass("marked2")
    both = sorted(set(first) & set(second))
    tp = n1 = n2 = 0
    per_label = Counter()
    for article_id in both:
        a = {(s["start"], s["end"], s["label"]) for s in first[article_id][1]}
        b = {(s["start"], s["end"], s["label"]) for s in second[article_id][1]}
        tp, n1, n2 = tp + len(a & b), n1 + len(a), n2 + len(b)
        for key in a & b:
            per_label[key[2], "tp"] += 1
        for key in a:
            per_label[key[2], "first"] += 1
        for key in b:
            per_label[key[2], "second"] += 1
    f1 = 2 * tp / (n1 + n2) if n1 + n2 else 0.0
    print(f"{len(both)} articles annotated twice; first pass {n1} spans, second {n2}, agreed {tp}; strict F1 {f1:.3f}")
    for label in LABELS:
        t, a, b = per_label[label, "tp"], per_label[label, "first"], per_label[label, "second"]
        print(f"  {label:8s} first {a:4d} second {b:4d} agreed {t:4d} F1 {2 * t / (a + b) if a + b else 0:.3f}")
    return 0


def build() -> int:
    """Check every marked article and write one JSONL file per split."""
    records: dict[str, list[dict]] = {name: [] for name, _ in SPLITS}
    problems: list[str] = []
    for article_id, (text, spans) in read_pass("marked").items():
        problems += problems_of(article_id, raw_text(article_id), text, spans)
        split = split_of(article_id)
        records[split].append({"id": article_id, "text": text, "spans": spans,
                               "meta": {"source": "kner-domain", "split": split}})
    for name, recs in records.items():
        with (HERE / f"{name}.jsonl").open("w", encoding="utf-8") as f:
            for rec in recs:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        counts = Counter(sp["label"] for rec in recs for sp in rec["spans"])
        print(f"{name}: {len(recs)} articles, {sum(counts.values())} spans {dict(sorted(counts.items()))}")
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--check"]:
        sys.exit(check(args[1:]))
    if args and args != ["--agreement"]:  # anything else (--help, a typo) writes nothing
        sys.exit(__doc__)
    sys.exit(agreement() if args else build())
