"""The statistical tagger (pipeline/statistical.py): units, labels, exact offsets, save/load round trips."""

from __future__ import annotations

import json

import pytest
import spacy
from kner import layers
from kner.records import Span
from kner.statistical import ModelError, StatisticalTagger, bio_labels, decode, doc_units
from kner.train import TrainConfig, tokenizer_nlp, train

ORGS = ["한빛전자", "대한물산", "미래에너지", "동방화학", "새롬바이오"]
LOCS = ["부산", "목포", "춘천", "여수", "강릉"]


@pytest.fixture(scope="module")
def nlp():
    """Tokenizer-only pipeline."""
    return tokenizer_nlp()


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    """A pipeline trained in a second on a tiny gold file (ORG before 는, LOC before 에서)."""
    base = tmp_path_factory.mktemp("model")
    gold = base / "gold.jsonl"
    with open(gold, "w", encoding="utf-8") as f:
        for i, (org, loc) in enumerate(zip(ORGS, LOCS, strict=True)):
            text = f"{org}는 {loc}에서 설명회를 열었다."
            spans = [{"start": 0, "end": len(org), "label": "ORG"},
                     {"start": len(org) + 2, "end": len(org) + 2 + len(loc), "label": "LOC"}]
            f.write(json.dumps({"id": str(i), "text": text, "spans": spans}, ensure_ascii=False) + "\n")
    config = TrainConfig(max_iterations=50, silver_per_template=0, n_anchors=0, labels=("ORG", "LOC"),
                   domain=False, gazetteer=False)
    train(base / "pipeline", klue=None, extra=[gold], config=config)
    return base / "pipeline"


def units_of(nlp, text):
    """Surface of each unit of `text`, sentence by sentence flattened."""
    return [text[u.start:u.end] for us in doc_units(nlp(text)) for u in us]


def test_units_cut_nouns_into_syllables_and_scripts_apart(nlp):
    assert units_of(nlp, "대전시장이 LG화학에") == ["대", "전", "시", "장", "이", "LG", "화", "학", "에"]


def test_units_cover_the_text_without_whitespace(nlp):
    text = "충북도는  30일\n청주에서 ‘협의회’를 열었다."
    doc = nlp(text)
    covered = "".join(text[u.start:u.end] for us in doc_units(doc) for u in us)
    assert covered == "".join(text.split())


def test_bio_labels_and_decode_round_trip(nlp):
    text = "남북 정상이 대전시장과 만났다."
    doc = nlp(text)
    units = [u for us in doc_units(doc) for u in us]
    gold = [Span(0, 1, "ORG"), Span(1, 2, "ORG"), Span(7, 10, "ORG")]
    tags = bio_labels(units, gold)
    spans = decode(text, units, tags)
    assert [(s.start, s.end, s.label, s.text) for s in spans] == [
        (0, 1, "ORG", "남"), (1, 2, "ORG", "북"), (7, 10, "ORG", "대전시")]


def test_a_predicted_name_ends_at_a_line_break(nlp):
    text = "소부장 특화단지\n소부장 특화단지 지정"
    units = [u for us in doc_units(nlp(text)) for u in us]
    tags = ["B-PROGRAM"] + ["I-PROGRAM"] * 13 + ["O"] * (len(units) - 14)  # one run over both lines
    assert [(s.text, s.label) for s in decode(text, units, tags)] == [
        ("소부장 특화단지", "PROGRAM"), ("소부장 특화단지", "PROGRAM")]


def test_predictions_have_exact_offsets_source_and_score(model_dir):
    nlp = spacy.load(model_dir)
    text = "한빛전자는 목포에서 설명회를 열었다."
    spans = layers.get_layer(nlp(text), "model")
    assert [(s.text, s.label) for s in spans] == [("한빛전자", "ORG"), ("목포", "LOC")]
    for s in spans:
        assert text[s.start:s.end] == s.text
        assert s.source == "model" and 0.0 < s.score <= 1.0


def test_to_disk_from_disk_and_bytes_give_identical_predictions(model_dir, tmp_path):
    texts = ["동방화학는 여수에서 설명회를 열었다.", "새롬바이오는 강릉에서 회의를 열었다. 부산은 맑다."]
    nlp = spacy.load(model_dir)
    before = [layers.get_layer(nlp(t), "model") for t in texts]
    nlp.to_disk(tmp_path / "copy")
    again = spacy.load(tmp_path / "copy")
    assert [layers.get_layer(again(t), "model") for t in texts] == before
    comp = StatisticalTagger(nlp).from_bytes(nlp.get_pipe("kner_model").to_bytes())
    rules = nlp.get_pipe("kner_rules")  # the model reads the rule layer as features
    assert [layers.get_layer(comp(rules(nlp.make_doc(t))), "model") for t in texts] == before


def test_encoded_features_are_the_training_features_and_tag_the_same(model_dir, nlp):
    from kner.statistical import Featurizer, units

    tagger = spacy.load(model_dir).get_pipe("kner_model")
    classes = {"한빛/NNP": ["a", "b"]}
    for text in ["한빛전자는 목포에서 설명회를 열었다.", "대전시장이 LG화학에 갔다.  ‘스마트’ 사업! 회의했다"]:
        doc = nlp(text)
        plain = list(Featurizer(classes).sequences(doc))
        encoded = list(Featurizer(classes, encoded=True).sequences(doc))
        assert [units(s) for s, _ in encoded] == [units(s) for s, _ in plain]
        assert [[[f.encode() for f in unit] for unit in feats] for _, feats in plain] == \
            [[list(unit) for unit in feats] for _, feats in encoded]
        assert [tagger._tagger.tag(f) for _, f in plain] == [tagger._tagger.tag(f) for _, f in encoded]


def test_a_changed_model_file_is_refused(model_dir, tmp_path):
    import shutil

    target = tmp_path / "kner_model"
    shutil.copytree(model_dir / "kner_model", target)
    data = bytearray((target / "model.crfsuite").read_bytes())
    data[-1] ^= 1
    (target / "model.crfsuite").write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256"):
        StatisticalTagger(None).from_disk(target)


def test_missing_files_and_untrained_component_fail_clearly(tmp_path, nlp):
    with pytest.raises(ModelError, match="no model.crfsuite"):
        StatisticalTagger(None).from_disk(tmp_path)
    with pytest.raises(ModelError, match="has no model"):
        StatisticalTagger(None)(nlp("부산"))


@pytest.mark.parametrize("text, start, end, expected", [
    ("저작권자 © 빛고을뉴스 무단", 5, 12, "빛고을뉴스"),
    ("제조혁신 로봇 공동실증’ 사업을", 0, 16, "제조혁신 로봇 공동실증"),
    ("‘소부장 특화단지’를", 0, 10, "소부장 특화단지"),
    ("㈜월덱스와", 0, 4, "㈜월덱스"),
    ("동해수소에너지(주)가", 0, 10, "동해수소에너지(주)"),
    ("소부장(소재·부품·장비) 특화단지", 0, 18, "소부장(소재·부품·장비) 특화단지"),
    ("이어서 GERI(차세대에너지연구센터)의", 4, 18, "GERI"),  # a bracket opened, not closed: the name ends before it
    ("IVI) 안동분소 등과", 0, 9, "안동분소"),  # closed, not opened: the name starts after it
    ("동해수소에너지(주)가", 0, 9, "동해수소에너지(주)"),  # an unclosed legal form takes its closing bracket
])
def test_trim_keeps_quotes_and_stray_symbols_out_of_names(nlp, text, start, end, expected):
    from kner.statistical import trim

    units = [u for us in doc_units(nlp(text)) for u in us]
    i = next(k for k, u in enumerate(units) if u.start == start)
    j = next(k for k, u in enumerate(units) if u.end == end) + 1
    a, b = trim(text, units, i, j)
    assert text[units[a].start:units[b - 1].end] == expected


def test_rule_spans_and_gazetteer_become_features(nlp):
    from kner.statistical import Featurizer

    text = "충북도는 한빛전자와 협약했다."
    doc = nlp(text)
    layers.set_layer(doc, "rules", [Span(0, 3, "ORG", "충북도", "rule", 0.8, None, "gov-acts:admin")])
    layers.set_layer(doc, layers.NEVER, [])
    (sent, feats), = Featurizer({}, {"한빛전자": "ORG"}).sequences(doc)
    first = [u for us in doc_units(doc) for u in us]
    flags = [[f for f in fs if f.startswith(("R=", "Rf=", "g="))] for fs in feats]
    assert flags[0] == ["R=B-ORG", "Rf=gov-acts:admin"] and flags[1] == ["R=I-ORG"] and flags[2] == ["R=I-ORG"]
    assert all(not f for f in flags[3:]) or "g=ORG" in sum(flags[3:], [])
    hanbit = next(i for i, u in enumerate(first) if text[u.start:u.end] == "한")
    assert "g=ORG" in feats[hanbit]
