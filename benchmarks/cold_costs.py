"""What a run's first articles pay that later ones do not: a new spaCy lexeme and a new CRF token type, each in
instructions (callgrind) and in memory (RSS).

The words and token types are those of N synthetic articles (benchmarks/synth.py, seed 0). Under callgrind each
measured step runs from its own rarely used C function, as in stage_instructions.py: the Docs of all N
articles on an empty vocab (every word builds its lexeme), the same Docs again (every word is found), and the
featurizer's type for every distinct (surface, tag) on an empty cache. Memory is what tracemalloc counts as
still allocated after each step, in a plain run (spaCy's lexemes and strings come from Python's allocator).
Needs valgrind; ~5 min.

    python benchmarks/cold_costs.py [--articles 60] [--model default]
"""

from __future__ import annotations

import argparse
import functools
import itertools
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

STEPS = {"docs, empty vocab": "functools_reduce", "docs, full vocab": "starmap_next",
         "token types, empty cache": "dropwhile_next"}


def run_steps(corpus: Path, model: str, trace: bool) -> None:
    """Build the words and types of the corpus; print counts and, with `trace` (not under valgrind: tracing
    costs instructions of its own), the bytes still allocated after each step."""
    import json
    import tracemalloc

    from kner.nlp import load
    from kner.statistical import Featurizer
    from kner.tokenize import analyse
    from spacy.tokens import Doc

    nlp = load(model)
    kiwi = nlp.tokenizer.kiwi
    texts = [json.loads(line)["text"] for line in corpus.open(encoding="utf-8")]
    words, types = [], {}
    for text in texts:
        tokens = analyse(text, kiwi)
        words.append([text[t.start:t.end] for t in tokens])
        types.update({(text[t.start:t.end], t.tag): t.lemma if "+" in t.tag else text[t.start:t.end]
                      for t in tokens if t.tag != "_SP"})
    distinct = len({w for ws in words for w in ws})
    if trace:
        tracemalloc.start()
    functools.reduce(lambda _, ws: Doc(nlp.vocab, words=ws), words, None)
    lexemes_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    list(itertools.starmap(lambda ws: Doc(nlp.vocab, words=ws), ((ws,) for ws in words)))
    featurizer = Featurizer(nlp.get_pipe("kner_model").tables["classes"], encoded=True)
    if trace:
        tracemalloc.start()
    list(itertools.dropwhile(lambda key: featurizer._new_type(*key, types[key]) is not None, types))
    types_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print(f"{distinct} {len(types)} {lexemes_bytes} {types_bytes}")


def main() -> None:
    """Run the steps under callgrind and plainly; print instructions and bytes per new lexeme and type."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=60)
    ap.add_argument("--model", default="default")
    ap.add_argument("--inner", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.inner:
        run_steps(args.inner, args.model, args.trace)
        return
    from synth import write_corpus

    with tempfile.TemporaryDirectory() as tmp:
        corpus, out = Path(tmp) / "corpus.jsonl", Path(tmp) / "callgrind.out"
        write_corpus(corpus, args.articles)
        cmd = [sys.executable, __file__, "--inner", str(corpus), "--model", args.model]
        plain = subprocess.run([*cmd, "--trace"], cwd=ROOT, capture_output=True, text=True,
                               check=True).stdout.split()[-4:]
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *cmd],
                       cwd=ROOT, capture_output=True, check=True)
        report = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", str(out)],
                                capture_output=True, text=True, check=True).stdout
    words, types, lexemes_bytes, types_bytes = map(int, plain)
    n = {step: int(re.search(rf"^\s*([\d,]+) .*:{function} ", report, re.M).group(1).replace(",", ""))
         for step, function in STEPS.items()}
    print(f"{args.articles} articles: {words:,} distinct words, {types:,} distinct (surface, tag) token types")
    for step, count in n.items():
        print(f"{step:26} {count:>14,} instructions")
    lexeme = (n["docs, empty vocab"] - n["docs, full vocab"]) / words
    print(f"new lexeme: {lexeme:,.0f} instructions, {lexemes_bytes / words:,.0f} bytes (with its string)")
    print(f"new token type: {n['token types, empty cache'] / types:,.0f} instructions, "
          f"{types_bytes / types:,.0f} bytes")


if __name__ == "__main__":
    main()
