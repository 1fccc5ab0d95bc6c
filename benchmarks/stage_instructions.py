"""Instructions per character of each pipeline stage, next to Kiwi's own tokenization, counted by callgrind.

Where bench_instructions.py counts whole `kner annotate` runs, this splits the work by stage, in one process: the
pipeline is loaded, N synthetic articles (benchmarks/synth.py, seed 0) go through it once, so that spaCy's vocab
and the featurizer's cache have seen them (the steady state of a long run; --cold skips this), and then each
stage runs once more over the same articles. Each stage is called from its own rarely used C iterator of
Python's itertools (or functools.reduce), and callgrind_annotate reports that function's inclusive cost, so a
stage's count is exactly the instructions executed inside it. Profilers that sample Python frames overstate the
many small Python calls; this does not. Needs valgrind; ~8 min for 60 articles.

    python benchmarks/stage_instructions.py [--articles 60] [--model default] [--cold]
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# stage -> the C function it is called from (each appears nowhere else in the pipeline's hot path)
STAGES = {
    "Kiwi tokenize (as kner calls it)": "functools_reduce",
    "tokenizer -> Doc (incl. Kiwi)": "starmap_next",
    "kner_rules": "dropwhile_next",
    "kner_model (features + CRF)": "takewhile_next",
    "kner_merge": "filterfalse_next",
    "output record + JSON": "accumulate_next",
}


def run_stages(corpus: Path, model: str, cold: bool) -> None:
    """Inside valgrind: load, warm up unless `cold`, then run each stage once under its own C function."""
    from kner.annotate import _Worker, doc_to_record, init_worker
    from kner.records import Record

    init_worker(model, [], False)
    nlp = _Worker.nlp
    texts = [json.loads(line)["text"] for line in corpus.open(encoding="utf-8")]
    kiwi = nlp.tokenizer.kiwi
    rules, tagger, merge = (nlp.get_pipe(name) for name in ("kner_rules", "kner_model", "kner_merge"))
    if not cold:
        for text in texts:
            merge(tagger(rules(nlp.make_doc(text))))
    functools.reduce(lambda _, text: kiwi.tokenize(text, split_sents=True), texts, None)
    docs = list(itertools.starmap(nlp.make_doc, ((text,) for text in texts)))
    list(itertools.dropwhile(lambda doc: rules(doc) is not None, docs))
    list(itertools.takewhile(lambda doc: tagger(doc) is not None, docs))
    list(itertools.filterfalse(lambda doc: merge(doc) is None, docs))
    record = functools.partial(doc_to_record, model="m")
    list(itertools.accumulate(docs, lambda _, doc: record(doc, Record(id="x", text=doc._.kiwi_text)).to_json(),
                              initial=None))


def main() -> None:
    """Run this script under callgrind and print each stage's instructions per character."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=60)
    ap.add_argument("--model", default="default")
    ap.add_argument("--cold", action="store_true", help="no warm-up pass: every word and token type is new")
    ap.add_argument("--inner", type=Path, help=argparse.SUPPRESS)  # the run inside valgrind, on this corpus
    args = ap.parse_args()
    if args.inner:
        run_stages(args.inner, args.model, args.cold)
        return
    from synth import write_corpus

    with tempfile.TemporaryDirectory() as tmp:
        corpus, out = Path(tmp) / "corpus.jsonl", Path(tmp) / "callgrind.out"
        chars = write_corpus(corpus, args.articles)
        cmd = [sys.executable, __file__, "--inner", str(corpus), "--model", args.model] + ["--cold"] * args.cold
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *cmd],
                       cwd=ROOT, capture_output=True, check=True)
        report = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", str(out)],
                                capture_output=True, text=True, check=True).stdout
    counts = {}
    for stage, function in STAGES.items():
        match = re.search(rf"^\s*([\d,]+) .*:{function} ", report, re.M)
        counts[stage] = int(match.group(1).replace(",", "")) / chars if match else float("nan")
    kiwi = counts["Kiwi tokenize (as kner calls it)"]
    print(f"{args.articles} articles, {chars:,} chars, {'cold' if args.cold else 'after a warm-up pass'}; "
          f"instructions per char")
    for stage, n in counts.items():
        print(f"{stage:34} {n:>9,.0f}  {n / kiwi:5.2f} x Kiwi")
    ours = sum(counts.values()) - 2 * kiwi  # the tokenizer's count includes Kiwi's
    print(f"{'ours, all stages':34} {ours:>9,.0f}  {ours / kiwi:5.2f} x Kiwi   "
          f"(Kiwi / (Kiwi + ours) = {kiwi / (kiwi + ours):.2f})")


if __name__ == "__main__":
    main()
