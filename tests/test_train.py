"""Training (pipeline/train.py): deterministic, learns from a tiny gold file, writes a loadable pipeline."""

from __future__ import annotations

import json

import pytest
import spacy
from kner import layers
from kner.records import Record, Span
from kner.splits import is_heldout, split
from kner.train import TrainConfig, split_address_chains, tokenizer_nlp, train

SENTENCES = [
    ("{}는 30일 새 공장을 열었다.", "ORG"),
    ("{}에서 회의가 열렸다.", "LOC"),
    ("{}는 지원사업을 발표했다.", "ORG"),
    ("기자들이 {}에 모였다.", "LOC"),
]
ORGS = ["한빛전자", "대한물산", "미래에너지", "동방화학", "새롬바이오", "한결정밀"]
LOCS = ["부산", "목포", "춘천", "여수", "강릉", "군산"]
TINY = TrainConfig(max_iterations=50, silver_per_template=0, n_anchors=0, labels=("ORG", "LOC"),
                   domain=False, gazetteer=False)


def write_gold(path):
    """A tiny gold JSONL: templates x names, with spans on the names."""
    with open(path, "w", encoding="utf-8") as f:
        n = 0
        for template, label in SENTENCES:
            for name in ORGS if label == "ORG" else LOCS:
                text = template.format(name)
                start = text.index(name)
                span = {"start": start, "end": start + len(name), "label": label}
                f.write(json.dumps({"id": f"t{n}", "text": text, "spans": [span]}, ensure_ascii=False) + "\n")
                n += 1
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """Two models trained on the same tiny file."""
    base = tmp_path_factory.mktemp("train")
    gold = write_gold(base / "gold.jsonl")
    train(base / "a", klue=None, extra=[gold], config=TINY)
    train(base / "b", klue=None, extra=[gold], config=TINY)
    return base


def test_training_is_deterministic(trained):
    a = (trained / "a" / "kner_model" / "model.crfsuite").read_bytes()
    b = (trained / "b" / "kner_model" / "model.crfsuite").read_bytes()
    assert a == b


def test_trained_pipeline_loads_and_learns(trained):
    nlp = spacy.load(trained / "a")
    assert nlp.pipe_names == ["kner_rules", "kner_model", "kner_merge", "kner_canonical", "kner_ents"]
    doc = nlp("한빛전자는 30일 새 공장을 열었다.")
    assert [(s.text, s.label) for s in layers.get_layer(doc, "model")] == [("한빛전자", "ORG")]
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
        (s.start, s.end, s.label) for s in layers.get_layer(doc, layers.FINAL)]
    doc = nlp("기자들이 목포에 모였다.")
    assert [(s.text, s.label) for s in layers.get_layer(doc, "model")] == [("목포", "LOC")]


def test_bad_gold_line_is_skipped_with_a_warning(tmp_path):
    from kner.formats import SkipWarning
    from kner.train import read_gold

    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "1", "text": "부산"}\nnot json\n{"id": "3", "text": "x", "spans": [{"start": 0}]}\n',
                    encoding="utf-8")
    with pytest.warns(SkipWarning) as caught:
        assert [r.id for r in read_gold(path)] == ["1"]
    messages = " ".join(str(w.message) for w in caught)
    assert "bad.jsonl:2" in messages and "bad.jsonl:3" in messages


def test_heldout_split_is_stable_and_about_a_fifth():
    ids = [f"klue-ner-v1_dev_{i:05d}-wikitree" for i in range(2000)]
    held = [i for i in ids if is_heldout(i)]
    assert 0.17 < len(held) / len(ids) < 0.23
    assert held == [i for i in ids if is_heldout(i)]

    class R:
        def __init__(self, id):
            self.id = id

    assert len(list(split(map(R, ids), True))) + len(list(split(map(R, ids), False))) == len(ids)


def test_cli_train_refuses_to_overwrite_without_force(tmp_path):
    from kner.cli import app
    from typer.testing import CliRunner

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "x").write_text("keep")
    result = CliRunner().invoke(app, ["train", "-o", str(tmp_path / "out"), "--no-klue", "--silver", "0"])
    assert result.exit_code == 1 and "--force" in result.output
    assert (tmp_path / "out" / "x").read_text() == "keep"


def test_cli_train_writes_a_pipeline_kner_annotate_can_load(tmp_path):
    """Into a folder whose parent does not exist yet, as `-o runs/today/model` would be."""
    from kner.cli import app
    from typer.testing import CliRunner

    gold = write_gold(tmp_path / "gold.jsonl")
    out = tmp_path / "runs" / "m"
    result = CliRunner().invoke(app, ["train", "-o", str(out), "--no-klue", "--no-domain", "--silver", "0",
                                      "--gold", str(gold)])
    assert result.exit_code == 0, result.output
    nlp = spacy.load(out)
    doc = nlp("대한물산는 30일 새 공장을 열었다.")
    assert ("대한물산", "ORG") in [(s.text, s.label) for s in layers.get_layer(doc, "model")]


@pytest.fixture(scope="module")
def rules_nlp():
    """The tokenizer and rule tagger that find a chain's territories, built once for the cases below."""
    return tokenizer_nlp()


@pytest.mark.parametrize("text, chain, expected", [
    ("불은 부산시 사하구 하단동에서 났다.", "부산시 사하구 하단동", ["부산시", "사하구", "하단동"]),
    ("회담은 중국 베이징에서 열렸다.", "중국 베이징", ["중국", "베이징"]),
    ("경기는 인천 계양체육관에서 열렸다.", "인천 계양체육관", ["인천 계양체육관"]),  # place + venue: whole
])
def test_klue_address_chains_are_split_by_territory(rules_nlp, text, chain, expected):
    start = text.index(chain)
    record = Record("klue-1", text, (Span(start, start + len(chain), "LOC", chain),))
    out = split_address_chains(record, rules_nlp)
    assert [s.text for s in out.spans] == expected
    assert all(text[s.start:s.end] == s.text and s.label == "LOC" for s in out.spans)


def test_klue_training_part_is_repeated_as_configured(tmp_path, rules_nlp):
    """KLUE's training sentences come `klue_repeat` times, its held-out and merge-dev sentences never."""
    from dataclasses import replace

    from kner.splits import is_merge_dev
    from kner.train import training_records

    klue = write_gold(tmp_path / "klue.jsonl")
    once = [r.id for r in training_records(rules_nlp, klue, (), replace(TINY, klue_repeat=1))]
    thrice = [r.id for r in training_records(rules_nlp, klue, (), replace(TINY, klue_repeat=3))]
    assert once and not any(is_heldout(i) or is_merge_dev(i) for i in once)
    assert thrice == once * 3


def test_name_dropout_hides_whole_word_features_of_some_names_only(tmp_path, rules_nlp):
    """With name_dropout, some gold names lose their whole-word features (and nothing else loses any feature);
    the choice is fixed by the record, its copy and the span, so training stays deterministic."""
    from kner.train import HIDDEN, read_gold, sequences

    records = list(read_gold(write_gold(tmp_path / "gold.jsonl"))) * 2  # two copies, as klue_repeat gives
    tables = {"classes": {}, "gazetteer": {}}
    plain = list(sequences(rules_nlp, records, ("ORG", "LOC"), tables))
    hidden = list(sequences(rules_nlp, records, ("ORG", "LOC"), tables, name_dropout=0.5))
    assert hidden == list(sequences(rules_nlp, records, ("ORG", "LOC"), tables, name_dropout=0.5))
    half = len(plain) // 2  # the sentences of the first copy, then the same of the second
    dropped_per_copy: list[set[int]] = [set(), set()]
    for n, ((feats, labels), (kept, same_labels)) in enumerate(zip(plain, hidden, strict=True)):
        assert labels == same_labels
        for label, full, left in zip(labels, feats, kept, strict=True):
            gone = set(full) - set(left)
            assert set(left) <= set(full)
            assert all(f.startswith(HIDDEN) for f in gone)
            if gone:
                assert label != "O"
                dropped_per_copy[n >= half].add(n % half)
    assert dropped_per_copy[0] and dropped_per_copy[1]  # some names hidden in each copy
    assert dropped_per_copy[0] != dropped_per_copy[1]  # and not the same ones
    assert len(dropped_per_copy[0]) < half  # not every name
