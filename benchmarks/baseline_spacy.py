"""Baseline to beat: spaCy's stock NER recipe on our KLUE split, printed next to our pipeline's strict P/R/F1.

Stock recipe = `spacy.blank("xx")` tokenizer (spaCy's rule-based whitespace/punctuation tokenizer;
`spacy.blank("ko")` would need mecab) and the `ner` config that `spacy init config --lang xx --pipeline ner`
writes (efficiency, CPU), unchanged except the corpus paths. Training data: the same KLUE training part our model
uses (kner.splits), minus a hashed 10 % of it kept as spaCy's dev set for early stopping; gold spans that do not
fall on spaCy token edges (충북도는 is one spaCy token) are marked missing, as `Example.from_dict` does.
Both systems are scored on the held-out KLUE split (ORG, LOC) with kner.evaluate.

    python benchmarks/baseline_spacy.py [--max-steps 20000] [--model models/kner-ko] [--units]

`--units` trains the same default `ner` config on *our* tokens instead: each Doc token is one of the CRF's units
(kner.statistical: Kiwi tokens cut at script changes and into syllables for nouns) and the tok2vec also embeds
the Kiwi tag of the token the unit belongs to, with its position (NNP_B ...). That is spaCy's NER with a tok2vec
that sees Kiwi tags, the other model family issue 4 names, judged on the same split.

Takes about 15-25 minutes on 2 cores (spaCy trains until its default patience runs out).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

import spacy
from spacy.tokens import Doc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kner.evaluate import evaluate  # noqa: E402
from kner.records import Record, Span  # noqa: E402
from kner.splits import split  # noqa: E402
from kner.tokenize import SPACE_TAG  # noqa: E402
from kner.train import read_gold  # noqa: E402

LABELS = ("ORG", "LOC")


def _is_dev(record_id: str) -> bool:
    """A hashed 10 % of the training part, used only by spaCy's early stopping."""
    return int(hashlib.sha1(("kner-spacy-dev:" + record_id).encode()).hexdigest()[:8], 16) % 10 == 0


class UnitTokenizer:
    """Tokenizer for `--units`: Kiwi, then the CRF's units; tag_ = Kiwi tag of the unit's token + its position."""

    def __init__(self, vocab):
        from kner.train import tokenizer_nlp

        self.vocab = vocab
        self.kiwi_nlp = tokenizer_nlp()

    def __call__(self, text: str) -> Doc:
        from kner.statistical import doc_units

        kdoc = self.kiwi_nlp(text)
        tag_at = {t.idx: t.tag_.split("+", 1)[0] for t in kdoc}
        words, spaces, tags, sent_starts, token_tag, end = [], [], [], [], "X", 0
        for sent in doc_units(kdoc):
            for k, u in enumerate(sent):
                gap = text[end:u.start]
                if gap == " " and words:
                    spaces[-1] = True
                elif gap:  # other whitespace is a token of its own, so doc.text == text
                    words.append(gap), spaces.append(False), tags.append(SPACE_TAG), sent_starts.append(False)
                token_tag = tag_at.get(u.start, token_tag)
                words.append(text[u.start:u.end]), spaces.append(False), sent_starts.append(k == 0)
                tags.append(f"{token_tag}_{u.pos}")
                end = u.end
        if text[end:]:
            words.append(text[end:]), spaces.append(False), tags.append(SPACE_TAG), sent_starts.append(False)
        return Doc(self.vocab, words=words, spaces=spaces, tags=tags, sent_starts=sent_starts)

    def to_disk(self, path, **kwargs) -> None:
        """Nothing to save: the tokenizer is code."""

    def from_disk(self, path, **kwargs) -> UnitTokenizer:
        """Nothing to load: the tokenizer is code."""
        return self


@spacy.registry.tokenizers("kner.bench.UnitTokenizer.v1")
def unit_tokenizer():
    """Registry entry of UnitTokenizer, so `spacy train` and `spacy.load` can build it."""
    return lambda nlp: UnitTokenizer(nlp.vocab)


def to_docbin(nlp, records: list[Record], path: Path) -> tuple[int, int]:
    """Write records as a DocBin; returns (spans kept, spans marked missing because they cut a token)."""
    from spacy.tokens import DocBin

    db, kept, missing = DocBin(), 0, 0
    for rec in records:
        doc = nlp.make_doc(rec.text)
        ents, lost = [], []
        for s in rec.spans:
            if s.label not in LABELS:
                continue
            span = doc.char_span(s.start, s.end, label=s.label)
            if span is None:
                lost.append(doc.char_span(s.start, s.end, alignment_mode="expand"))
            else:
                ents.append(span)
        taken = {i for e in ents for i in range(e.start, e.end)}
        missing_spans = []
        for x in lost:
            if x is not None and not taken & set(range(x.start, x.end)):
                missing_spans.append(x)
                taken.update(range(x.start, x.end))
        doc.set_ents(ents, missing=missing_spans, default="outside")
        kept, missing = kept + len(ents), missing + len(lost)
        db.add(doc)
    db.to_disk(path)
    return kept, missing


UNIT_OVERRIDES = {  # --units: our tokenizer, and the Kiwi tag as a fifth embedded attribute
    "nlp.tokenizer": {"@tokenizers": "kner.bench.UnitTokenizer.v1"},
    "components.tok2vec.model.embed.attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE", "TAG"],
    "components.tok2vec.model.embed.rows": [5000, 1000, 2500, 2500, 1000],
}


def train_stock(train: list[Record], work: Path, max_steps: int, units: bool = False) -> Path:
    """Train spaCy's default `ner` pipeline for `xx` (on kner units with `units`); return the best model directory."""
    from spacy.cli.init_config import init_config
    from spacy.cli.train import train as spacy_train

    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": UNIT_OVERRIDES["nlp.tokenizer"]}} if units else {})
    dev = [r for r in train if _is_dev(r.id)]
    train = [r for r in train if not _is_dev(r.id)]
    print(f"spaCy train/dev sentences: {len(train)}/{len(dev)}")
    for name, recs in (("train", train), ("dev", dev)):
        kept, missing = to_docbin(nlp, recs, work / f"{name}.spacy")
        print(f"  {name}: {kept} spans on token edges, {missing} cut a spaCy token (marked missing)")
    config = init_config(lang="xx", pipeline=["ner"], optimize="efficiency", gpu=False)
    config_path = work / "config.cfg"
    config.to_disk(config_path)
    overrides = {"paths.train": str(work / "train.spacy"), "paths.dev": str(work / "dev.spacy"),
                 "training.max_steps": max_steps, **(UNIT_OVERRIDES if units else {})}
    spacy_train(config_path, work / "out", overrides=overrides)
    return work / "out" / "model-best"


def predict_stock(model_dir: Path, records: list[Record]) -> list[Record]:
    """The stock model's entities as records (char offsets)."""
    nlp = spacy.load(model_dir)
    out = []
    for rec, doc in zip(records, nlp.pipe(r.text for r in records), strict=True):
        spans = [Span(e.start_char, e.end_char, e.label_, e.text, "spacy") for e in doc.ents]
        out.append(rec.with_spans(spans))
    return out


def predict_ours(model: str, records: list[Record]) -> dict[str, list[Record]]:
    """Our pipeline's final spans (rules + model) and the model layer alone, as records."""
    from kner.evaluate import annotate_for_evaluation
    from kner.nlp import load

    return annotate_for_evaluation(load(model), records)


def row(name: str, gold: list[Record], pred: list[Record]) -> str:
    """One line of the table: per-label and micro strict P/R/F1."""
    ev = evaluate(gold, pred, LABELS, bootstrap=0)
    cells = []
    for key in (*LABELS, "micro"):
        s = ev.scores["strict"][key]
        cells.append(f"{s.p:.3f} {s.r:.3f} {s.f:.3f}")
    return f"| {name} | " + " | ".join(cells) + " |"


def main() -> None:
    """Train the stock baseline, score it and our shipped pipeline on the held-out split, print a table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--klue", default=str(ROOT / "data/klue-ner/train.jsonl"))
    ap.add_argument("--model", default="default", help="our pipeline to compare (default: the shipped one)")
    ap.add_argument("--max-steps", type=int, default=20000, help="spaCy's default is 20000")
    ap.add_argument("--units", action="store_true", help="train on kner units with Kiwi tags (see above)")
    args = ap.parse_args()
    records = list(read_gold(Path(args.klue)))
    train = list(split(records, heldout=False))
    held = list(split(records, heldout=True))
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        best = train_stock(train, Path(tmp), args.max_steps, args.units)
        minutes = (time.perf_counter() - t0) / 60
        stock = predict_stock(best, held)
    print(f"\nHeld-out KLUE split: {len(held)} sentences; strict P R F1; spaCy trained in {minutes:.1f} min")
    print("| system | ORG | LOC | micro |")
    print("|---|---|---|---|")
    name = "spaCy default ner on kner units + Kiwi tags" if args.units else "spaCy stock (xx tokenizer, default ner)"
    print(row(name, held, stock), flush=True)
    ours = predict_ours(args.model, held)
    print(row(f"kner ({args.model}), rules + model", held, ours["combined"]))
    print(row(f"kner ({args.model}), model only", held, ours["model"]))


if __name__ == "__main__":
    main()
