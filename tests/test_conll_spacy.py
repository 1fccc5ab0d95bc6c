"""The CoNLL export is CoNLL-2003 style: `spacy convert -c ner` reads it and finds every span of the seeds' gold."""

import json
import subprocess
import sys
from pathlib import Path

from kner.cli import app
from kner.formats import read_records
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "seeds" / "gold.jsonl"


def squeeze(text):
    """Span text without whitespace: spaCy's converter joins the CoNLL tokens with spaces."""
    return "".join(text.split())


def export(tmp_path, *options):
    out = tmp_path / "gold.conll"
    result = CliRunner().invoke(app, ["export", str(GOLD), "--to", "conll", "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    return out


def test_spacy_convert_reads_every_document_and_entity(tmp_path):
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = export(tmp_path)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "-DOCSTART- -X- O O" and not any(line.startswith("# ") for line in lines)
    assert sum(line == "-DOCSTART- -X- O O" for line in lines) == len(gold)
    ids = [json.loads(line)["id"] for line in (tmp_path / "gold.conll.ids").read_text(encoding="utf-8").splitlines()]
    assert ids == [r["id"] for r in gold]  # the ids are in the side file, in order

    converted = subprocess.run([sys.executable, "-m", "spacy", "convert", str(out), str(tmp_path), "-c", "ner",
                                "-n", "1"], capture_output=True, text=True, timeout=300)
    assert converted.returncode == 0, converted.stdout + converted.stderr
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    docs = list(DocBin().from_disk(tmp_path / "gold.spacy").get_docs(Vocab()))
    assert len(docs) == len(gold)
    for doc, record in zip(docs, gold, strict=True):
        want = [(squeeze(s["text"]), s["label"]) for s in sorted(record["spans"], key=lambda s: s["start"])]
        assert [(squeeze(e.text), e.label_) for e in doc.ents] == want, record["id"]
        assert squeeze(doc.text) == squeeze(record["text"])


def test_spacy_api_reads_it_too_and_kner_reads_it_back_exactly(tmp_path):
    from spacy.training.converters import conll_ner_to_docs

    out = export(tmp_path)
    docs = list(conll_ner_to_docs(out.read_text(encoding="utf-8"), n_sents=0, no_print=True))
    gold = list(read_records(GOLD))
    assert [len(d.ents) for d in docs] == [len(r.spans) for r in gold]
    back = list(read_records(out))  # ids, exact texts and meta from gold.conll.ids
    assert [(r.id, r.text, [(s.start, s.end, s.label) for s in r.spans]) for r in back] == \
           [(r.id, r.text, [(s.start, s.end, s.label) for s in r.spans]) for r in gold]


def test_conll_comments_option_keeps_ids_inline(tmp_path):
    out = export(tmp_path, "--conll-comments")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[:3][0] == "-DOCSTART- -X- O O" and lines[2].startswith("# id = ")
    assert not (tmp_path / "gold.conll.ids").exists()
    back = list(read_records(out))
    assert [r.id for r in back] == [r.id for r in read_records(GOLD)]
    assert [r.text for r in back] == [r.text for r in read_records(GOLD)]
