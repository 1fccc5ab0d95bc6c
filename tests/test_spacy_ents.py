"""kner_ents: the spans `kner annotate` writes, as doc.ents and doc.spans["kner"], for displaCy and spaCy's tools."""

import ast
import json
import re
from pathlib import Path

import pytest
import spacy
from kner.annotate import doc_to_record
from kner.layers import FINAL, get_layer
from kner.records import Record
from kner.tokenize import analyse
from spacy import displacy
from spacy.tokens import Doc
from spacy.training import Example

REPO = Path(__file__).resolve().parent.parent
WALDEX = "센터의 지원을 받은 ㈜월덱스와 ㈜아진아이에스피가 주목받았다. 대전시장은 환영했다."


def seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]


def ents_of(doc) -> list[tuple]:
    return [(e.start_char, e.end_char, e.label_, e.kb_id_, e._.source, e._.score, e._.canonical, e._.rule)
            for e in doc.ents]


def layer_of(doc) -> list[tuple]:
    return [(s.start, s.end, s.label, s.canonical or "", s.source, s.score, s.canonical, s.rule)
            for s in get_layer(doc, FINAL)]


@pytest.fixture(scope="module")
def nlp():
    from kner.nlp import load

    return load()


@pytest.fixture(scope="module")
def rules_nlp():
    from kner.nlp import load

    return load("rules")


def test_ents_and_span_group_are_the_final_layer_on_the_seeds(nlp, rules_nlp):
    for pipeline in (nlp, rules_nlp):
        assert pipeline.pipe_names[-1] == "kner_ents"
        for doc in pipeline.pipe(seed_texts()):
            assert ents_of(doc) == layer_of(doc) and doc.ents
            group = doc.spans["kner"]
            assert [(s.start_char, s.end_char, s.label_) for s in group] == [e[:3] for e in ents_of(doc)]
            assert group.attrs["scores"] == [s.score for s in get_layer(doc, FINAL)]
            assert [s._.source for s in group] == [s.source for s in get_layer(doc, FINAL)]


def test_a_span_inside_a_kiwi_token_keeps_exact_offsets(nlp):
    assert any(t.text == "월덱스와" for t in nlp.make_doc(WALDEX))  # Kiwi reads 월덱스와 as one token
    doc = nlp(WALDEX)
    waldex = doc.ents[0]
    assert (waldex.text, waldex.start_char, waldex.end_char, waldex.label_) == ("㈜월덱스", 11, 15, "ORG")
    assert [t.text for t in doc[waldex.end - 1:waldex.end + 1]] == ["월덱스", "와"]
    assert doc[waldex.end].tag_ == "NNP" and doc[waldex.end].lemma_ == "와"  # a cut part keeps the token's tag
    daejeon = [e for e in doc.ents if e.text == "대전시"]
    assert daejeon and daejeon[0].kb_id_ == "대전광역시" == daejeon[0]._.canonical  # cut out of 대전시장
    assert doc.text == WALDEX and [t._.morphs for t in doc][waldex.end] == (("와", "NNP"),)
    assert [s.is_sent_start for s in doc].count(True) == 2


def test_cutting_tokens_leaves_the_records_tokens_and_sentences_alone(nlp, blank_nlp):
    doc = nlp(WALDEX)
    record = doc_to_record(doc, Record("w", WALDEX), "m", tokens=True)
    from kner.annotate import sentence_offsets

    rows = analyse(WALDEX)
    assert record.tokens == tuple((t.start, t.end, t.tag) for t in rows if t.tag != "_SP")
    assert record.sentences == sentence_offsets(rows) == ((0, 33), (34, 45))
    assert len(doc) > len(rows)  # the Doc's tokens were cut, the record's were not


def test_running_the_component_twice_changes_nothing(nlp):
    doc = nlp(WALDEX)
    before, tokens = ents_of(doc), [t.text for t in doc]
    nlp.get_pipe("kner_ents")(doc)
    assert ents_of(doc) == before and [t.text for t in doc] == tokens


def test_pipe_with_two_processes_gives_the_same_ents(nlp):
    texts = [WALDEX, *seed_texts()[:3]]
    one = [ents_of(d) for d in nlp.pipe(texts)]
    docs = list(nlp.pipe(texts, n_process=2, batch_size=1))
    assert [ents_of(d) for d in docs] == one
    assert [layer_of(d) for d in docs] == [ents[:] for ents in one]  # layers survive the trip between processes
    assert [t._.morphs for t in docs[0]][:2] == [(("센터", "NNG"),), (("의", "JKG"),)]


def test_doc_bytes_round_trip_keeps_layers_and_ents(nlp):
    doc = nlp(WALDEX)
    again = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert ents_of(again) == ents_of(doc) and get_layer(again, FINAL) == get_layer(doc, FINAL)
    assert doc_to_record(again, Record("w", WALDEX), "m", tokens=True) == doc_to_record(
        doc, Record("w", WALDEX), "m", tokens=True)


def test_displacy_renders_the_ents(nlp):
    html = displacy.render(nlp(WALDEX), style="ent", jupyter=False)
    marked = re.findall(r'<mark class="entity"[^>]*>\s*(.*?)\s*<span[^>]*>(\w+)', html, flags=re.S)
    assert marked[:2] == [("㈜월덱스", "ORG"), ("㈜아진아이에스피", "ORG")]
    assert ">월덱스</a>" in html  # the canonical name, as displaCy shows a kb_id


def test_to_json_has_the_ents_and_the_span_group(nlp):
    data = nlp(WALDEX).to_json()
    assert data["ents"][0] == {"start": 11, "end": 15, "label": "ORG"}
    assert data["spans"]["kner"][0]["start"] == 11
    json.dumps(data, ensure_ascii=False)


def test_nlp_evaluate_scores_the_ents(rules_nlp):
    gold = rules_nlp.make_doc(WALDEX)
    gold.ents = [gold.char_span(17, 25, "ORG")]
    scores = rules_nlp.evaluate([Example(rules_nlp.make_doc(WALDEX), gold)])
    assert scores["ents_r"] == 1.0 and 0 < scores["ents_p"] < 1.0


def test_the_shipped_model_and_the_rules_pipeline_end_with_the_component():
    from kner.nlp import load, resolve_model

    shipped = spacy.load(resolve_model("kner-ko")).pipe_names
    assert shipped == ["kner_rules", "kner_model", "kner_merge", "kner_canonical", "kner_ents"]
    assert load("rules").pipe_names == ["kner_rules", "kner_merge", "kner_canonical", "kner_ents"]


@pytest.mark.parametrize("doc_file", ["README.md", "models/README.md"])
def test_the_documented_spacy_example_runs_and_prints_what_it_says(doc_file):
    text = (REPO / doc_file).read_text(encoding="utf-8")
    section = text[text.index("## Use from spaCy"):]
    start = section.index("```python\n") + len("```python\n")
    code = section[start:section.index("\n```", start)]
    lines = code.splitlines()
    [k] = [i for i, line in enumerate(lines) if line.startswith("# [(")]
    namespace: dict = {}
    exec(compile(code, doc_file, "exec"), namespace)
    assert eval(lines[k - 1], namespace) == ast.literal_eval(lines[k][2:])
