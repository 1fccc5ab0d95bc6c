"""Format readers and writers: detection, lossless round trips, and reports of what a format cannot hold."""

import json
import unicodedata
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kner.formats import FormatWarning, detect_format, read_records, write_records
from kner.records import Record, Span


def rec(rid, text, *spans, **fields):
    """A record whose spans are given as (start, end, label[, extras]) with the surface filled in."""
    out = []
    for s in spans:
        extras = s[3] if len(s) > 3 else {}
        out.append(Span(s[0], s[1], s[2], text[s[0]:s[1]], **extras))
    return Record(rid, text, tuple(out), **fields)


def core(records):
    """What every format must keep: id, text, and each span's offsets and label."""
    return [(r.id, r.text, [(s.start, s.end, s.label) for s in r.spans]) for r in records]


def write_lines(path, lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


# ---------------------------------------------------------------- detection

@pytest.mark.parametrize("line, fmt", [
    ({"id": "1", "text": "가", "spans": [], "meta": {}}, "kner"),
    ({"text": "가", "spans": [], "_input_hash": 1, "answer": "accept"}, "prodigy"),
    ({"text": "가", "label": [[0, 1, "ORG"]]}, "doccano"),
    ({"text": "가", "entities": [{"start_offset": 0, "end_offset": 1, "label": "ORG"}]}, "doccano"),
])
def test_detect_jsonl_formats_from_first_record(tmp_path, line, fmt):
    path = write_lines(tmp_path / "x.jsonl", [json.dumps(line, ensure_ascii=False)])
    assert detect_format(path) == fmt


def test_detect_label_studio_array_and_suffixes(tmp_path):
    ls = tmp_path / "tasks.json"
    ls.write_text('[{"data": {"text": "가"}, "annotations": []}]', encoding="utf-8")
    assert detect_format(ls) == "labelstudio"
    assert detect_format(tmp_path / "x.spacy") == "docbin"
    assert detect_format(tmp_path / "x.bio") == "conll"


# ---------------------------------------------------------------- JSONL formats

def test_doccano_reads_both_layouts(tmp_path):
    path = write_lines(tmp_path / "d.jsonl", [
        json.dumps({"id": 7, "text": "충북도는 청주에", "label": [[0, 3, "ORG"], [5, 7, "LOC"]]}, ensure_ascii=False),
        json.dumps({"text": "청주", "entities": [{"id": 1, "start_offset": 0, "end_offset": 2, "label": "LOC"}],
                    "relations": []}, ensure_ascii=False),
    ])
    got = list(read_records(path, "doccano"))
    assert core(got) == [("7", "충북도는 청주에", [(0, 3, "ORG"), (5, 7, "LOC")]), ("d:2", "청주", [(0, 2, "LOC")])]
    assert got[0].spans[0].text == "충북도"


def test_prodigy_skips_rejected_tasks_and_says_so(tmp_path):
    path = write_lines(tmp_path / "p.jsonl", [
        json.dumps({"text": "청주", "spans": [{"start": 0, "end": 2, "label": "LOC"}], "answer": "accept"}),
        json.dumps({"text": "충북", "spans": [], "answer": "reject"}),
    ])
    with pytest.warns(FormatWarning, match="1 'reject'"):
        got = list(read_records(path))
    assert core(got) == [("p:1", "청주", [(0, 2, "LOC")])]


def test_bad_lines_are_reported_with_file_and_line_and_skipped(tmp_path):
    path = write_lines(tmp_path / "bad.jsonl", [
        '{"text": "abc", "spans": [{"start": 0, "end": 9, "label": "ORG"}]}',
        "not json",
        '{"id": "ok", "text": "ok"}',
    ])
    with pytest.warns(FormatWarning) as caught:
        got = list(read_records(path, "kner"))
    messages = [str(w.message) for w in caught]
    assert any(f"{path}:1: span [0, 9) is outside" in m for m in messages)
    assert any(f"{path}:2: malformed JSON" in m for m in messages)
    assert core(got) == [("ok", "ok", [])]


def test_a_line_that_is_not_utf8_is_reported_and_the_rest_read(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes('{"id": "a", "text": "청주"}\n'.encode() + '{"id": "b", "text": "충북"}\n'.encode("cp949")
                     + '{"id": "c", "text": "구미"}\n'.encode())
    with pytest.warns(FormatWarning, match=f"{path}:2: not UTF-8"):
        got = list(read_records(path, "kner"))
    assert [r.id for r in got] == ["a", "c"]


def test_doccano_export_reports_dropped_span_extras(tmp_path):
    r = rec("1", "충북도는", (0, 3, "ORG", {"source": "rules", "score": 0.9}))
    with pytest.warns(FormatWarning, match=r"doccano cannot hold.*span source \(1.*span score \(1"):
        write_records([r], tmp_path / "d.jsonl", "doccano")
    assert core(read_records(tmp_path / "d.jsonl")) == core([r])


# ---------------------------------------------------------------- lossless round trips, every format

NFD = unicodedata.normalize("NFD", "청주에서")
TRICKY = "😀 충북도는 삼성전자와\r\n" + NFD + " 👩‍👩‍👧 LG화학 했다.\n\n다음 문장 ㈜월덱스."
SUFFIX = {"kner": ".jsonl", "prodigy": ".jsonl", "doccano": ".jsonl", "labelstudio": ".json", "conll": ".conll",
          "docbin": ".spacy"}
# record fields each format carries besides id, text, span offsets and labels (the rest is reported as dropped)
CARRIES = {
    "kner": {"meta", "sentences", "kner", "tokens", "source", "score", "canonical", "rule"},
    "prodigy": {"meta", "sentences", "kner", "source", "score", "canonical", "rule"},
    "doccano": {"meta", "kner"},
    "labelstudio": {"meta", "sentences", "kner", "source", "score", "canonical", "rule"},
    "conll": {"meta"},
    "docbin": {"meta", "sentences", "kner", "tokens", "source", "score", "canonical", "rule"},
}


def find(text, part, nth=0):
    """(start, end) of the nth occurrence of `part` in `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return start, start + len(part)


def tricky_record():
    """Emoji before spans (UTF-16 drift), CRLF, decomposed Hangul, spans inside Kiwi tokens, all extras set."""
    t = TRICKY
    spans = [
        (*find(t, "충북도"), "ORG", {"source": "rules", "score": 0.75, "rule": "suffix:도"}),
        (*find(t, "삼성"), "ORG", {"source": "model", "score": 0.5, "canonical": "삼성전자"}),  # inside 삼성전자
        (*find(t, NFD[:4]), "LOC", {}),  # 청주 in NFD: 6 code points
        (*find(t, "LG화학"), "ORG", {"score": 0.9}),
        (*find(t, "월덱스"), "ORG", {}),  # after ㈜, before .
    ]
    return rec("t1", t, *spans, meta={"file": "a.txt", "nested": [1, {"x": None}]},
               sentences=((0, 10), (12, 20)), kner={"version": "0.1.0", "model": "m"},
               tokens=((0, 1, "W_EMOJI"),))


def kept(record, fmt):
    """What `record` should look like after a round trip through `fmt`."""
    carries = CARRIES[fmt]
    spans = tuple(Span(s.start, s.end, s.label, s.text,
                       **{k: getattr(s, k) for k in ("source", "score", "canonical", "rule") if k in carries})
                  for s in record.spans)
    return Record(record.id, record.text, spans,
                  **{k: getattr(record, k) for k in ("meta", "sentences", "kner", "tokens") if k in carries})


@pytest.mark.parametrize("fmt", SUFFIX)
def test_round_trip_keeps_text_offsets_labels_and_what_the_format_carries(tmp_path, fmt):
    records = [tricky_record(), rec("empty", "", meta={}), rec("plain", "청주", (0, 2, "LOC"))]
    path = tmp_path / f"out{SUFFIX[fmt]}"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert write_records(records, path, fmt) == 3
        assert detect_format(path) == fmt
        back = list(read_records(path))
    assert back == [kept(r, fmt) for r in records]
    lost = {"sentences", "kner", "tokens", "source", "score", "canonical", "rule"} - CARRIES[fmt]
    messages = " ".join(str(w.message) for w in caught)
    for name in lost:  # every field the format could not hold is named in a warning
        assert name in messages, (name, messages)
    if fmt == "labelstudio":  # spans went out as predictions, and the import says so
        assert "prediction was read instead" in messages


def test_label_studio_offsets_are_utf16_units(tmp_path):
    text = "😀👩‍👩‍👧 충북도"
    r = rec("1", text, (*find(text, "충북도"), "ORG"))
    path = tmp_path / "ls.json"
    write_records([r], path, "labelstudio")
    value = json.loads(path.read_text(encoding="utf-8"))[0]["predictions"][0]["result"][0]["value"]
    assert len(text.encode("utf-16-le")) // 2 == len(text) + 4  # four astral code points
    assert (value["start"], value["end"]) == (find(text, "충북도")[0] + 4, find(text, "충북도")[1] + 4)
    assert text.encode("utf-16-le")[2 * value["start"]:2 * value["end"]].decode("utf-16-le") == "충북도"


def test_label_studio_prediction_carries_model_version_scores_and_meta(tmp_path):
    path = tmp_path / "ls.json"
    write_records([tricky_record()], path, "labelstudio")
    task = json.loads(path.read_text(encoding="utf-8"))[0]
    assert task["data"]["id"] == "t1" and task["data"]["meta"]["file"] == "a.txt"
    prediction = task["predictions"][0]
    assert prediction["model_version"] == "kner 0.1.0 m"
    assert prediction["score"] == 0.5  # the least sure span
    assert [item.get("score") for item in prediction["result"]] == [0.75, 0.5, None, 0.9, None]


# ---------------------------------------------------------------- Label Studio import

def ls_region(start, end, label, text=None, **item):
    value = {"start": start, "end": end, "labels": [label]}
    if text is not None:
        value["text"] = text
    return {"from_name": "label", "to_name": "text", "type": "labels", "value": value, **item}


def write_ls(path, tasks):
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def test_label_studio_import_prefers_latest_annotation_and_reports_fallbacks(tmp_path):
    text = "😀충북도와 청주"
    path = write_ls(tmp_path / "export.json", [
        {"id": 11, "data": {"text": text}, "predictions": [{"result": [ls_region(2, 5, "LOC", "충북도")]}],
         "annotations": [
             {"result": [ls_region(2, 5, "LOC", "충북도")], "updated_at": "2024-01-01T00:00:00"},
             {"result": [ls_region(2, 5, "ORG", "충북도"), ls_region(7, 9, "LOC", "청주")],
              "updated_at": "2024-02-01T00:00:00"},
             {"result": [], "was_cancelled": True, "updated_at": "2024-03-01T00:00:00"},
         ]},
        {"id": 12, "data": {"text": text, "source_url": "http://x"},
         "predictions": [{"result": [ls_region(2, 5, "ORG", "충북도"),
                                     {"type": "choices", "value": {"choices": ["relevant"]}}]}]},
        {"id": 13, "data": {"text": text}, "annotations": [], "predictions": []},
        {"id": 14, "data": {"body": text}},
    ])
    with pytest.warns(FormatWarning) as caught:
        got = list(read_records(path))
    messages = "\n".join(str(w.message) for w in caught)
    assert core(got) == [("11", text, [(1, 4, "ORG"), (6, 8, "LOC")]), ("12", text, [(1, 4, "ORG")])]
    assert got[1].meta == {"source_url": "http://x"}  # other data columns are kept in meta
    assert "1 tasks had no submitted annotation, so their latest prediction was read instead" in messages
    assert "several annotations" in messages and "not annotated yet): 13" in messages
    assert f"{path} task 4: task has no text in data['text']" in messages
    assert "ignored results that are not text labels: choices (1)" in messages


def test_label_studio_import_checks_region_text(tmp_path):
    text = "😀충북도"
    path = write_ls(tmp_path / "export.json", [
        {"data": {"text": text}, "annotations": [{"result": [ls_region(1, 4, "ORG", "충북도")]}]},  # code points
        {"data": {"text": text}, "annotations": [{"result": [ls_region(2, 4, "ORG", "충북도")]}]},  # wrong
        {"data": {"text": text}, "annotations": [{"result": [ls_region(1, 4, "ORG")]}]},  # inside the emoji
    ])
    with pytest.warns(FormatWarning) as caught:
        got = list(read_records(path, "labelstudio"))
    messages = "\n".join(str(w.message) for w in caught)
    assert core(got) == [("export:1", text, [(1, 4, "ORG")])]
    assert "regions had code-point offsets" in messages
    assert "task 2: region None at UTF-16 [2, 4) does not match its text '충북도'" in messages
    assert "task 3:" in messages


def test_label_studio_as_annotations_and_text_key(tmp_path):
    r = rec("1", "청주", (0, 2, "LOC"))
    path = tmp_path / "ls.json"
    write_records([r], path, "labelstudio", as_annotations=True)
    task = json.loads(path.read_text(encoding="utf-8"))[0]
    assert "predictions" not in task and task["annotations"][0]["result"][0]["value"]["labels"] == ["LOC"]
    assert core(read_records(path)) == core([r])
    task["data"]["body"] = task["data"].pop("text")
    write_ls(path, [task])
    assert core(read_records(path, text_key="body")) == core([r])


# ---------------------------------------------------------------- token formats: spans inside Kiwi tokens

def test_spans_inside_a_kiwi_token_cut_the_token(tmp_path):
    r = rec("1", "삼성전자와 충북도청", (0, 2, "ORG"), (6, 8, "LOC"))  # Kiwi: 삼성전자 / 와 / 충북도청
    write_records([r], tmp_path / "p.jsonl", "prodigy")
    task = json.loads((tmp_path / "p.jsonl").read_text(encoding="utf-8"))
    assert [t["text"] for t in task["tokens"]] == ["삼성", "전자", "와", "충북", "도청"]
    assert [(s["token_start"], s["token_end"]) for s in task["spans"]] == [(0, 0), (3, 3)]
    write_records([r], tmp_path / "c.conll", "conll")
    rows = [line for line in (tmp_path / "c.conll").read_text(encoding="utf-8").split("\n") if "\t" in line]
    assert rows == ["삼성\tB-ORG", "전자\tO", "와\tO", "충북\tB-LOC", "도청\tO"]


def test_docbin_ents_are_token_aligned_and_cuts_are_reported(tmp_path):
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    r = rec("1", "삼성전자와 충북도청", (0, 2, "ORG"), (6, 8, "LOC"))
    with pytest.warns(FormatWarning, match="2 spans have an edge inside a Kiwi token"):
        write_records([r], tmp_path / "d.spacy", "docbin")
    doc = next(DocBin().from_disk(tmp_path / "d.spacy").get_docs(Vocab()))
    assert doc.text == r.text
    assert [(e.text, e.label_) for e in doc.ents] == [("삼성", "ORG"), ("충북", "LOC")]


def test_what_bio_and_doc_ents_cannot_hold_is_reported(tmp_path):
    text = "청주 그랜드플라자 호텔에서"
    r = rec("1", text, (0, 2, "LOC"), (0, 13, "LOC"), (2, 9, "ORG"))  # overlap; a span starting on a space
    with pytest.warns(FormatWarning) as caught:
        write_records([r], tmp_path / "c.conll", "conll")
    message = str(caught[0].message)
    assert "overlapping spans" in message and "spans starting or ending on whitespace" in message
    assert core(read_records(tmp_path / "c.conll")) == [("1", text, [(0, 2, "LOC")])]
    with pytest.warns(FormatWarning, match="doc.ents cannot hold"):
        write_records([r], tmp_path / "d.spacy", "docbin")
    assert core(read_records(tmp_path / "d.spacy")) == core([r])  # kept outside doc.ents


def test_docbin_edited_with_spacy_is_read_as_edited(tmp_path):
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    r = rec("1", "충북도는 청주에", (0, 3, "ORG", {"source": "rules"}), (5, 7, "LOC", {"source": "model"}))
    write_records([r], tmp_path / "d.spacy", "docbin")
    doc = next(DocBin(store_user_data=True).from_disk(tmp_path / "d.spacy").get_docs(Vocab()))
    doc.ents = [doc.char_span(0, 3, "LOC")]  # relabel the first span, delete the second
    DocBin(docs=[doc], store_user_data=True).to_disk(tmp_path / "d.spacy")
    assert list(read_records(tmp_path / "d.spacy")) == [rec("1", r.text, (0, 3, "LOC"))]


def test_foreign_docbin_reads_doc_ents(tmp_path):
    from spacy.tokens import Doc, DocBin
    from spacy.vocab import Vocab

    doc = Doc(Vocab(), words=["충북도", "는", "청주", "에"], spaces=[False, True, False, False])
    doc.ents = [doc.char_span(0, 3, "ORG"), doc.char_span(5, 7, "LOC")]
    DocBin(docs=[doc]).to_disk(tmp_path / "train.spacy")
    expected = [("train:1", "충북도는 청주에", [(0, 3, "ORG"), (5, 7, "LOC")])]
    assert core(read_records(tmp_path / "train.spacy")) == expected


# ---------------------------------------------------------------- CoNLL from other tools

def test_conll_reads_plain_seqeval_files_one_record_per_sentence(tmp_path):
    path = tmp_path / "x.bio"
    path.write_text("충북도\tB-ORG\n는\tO\n청주\tB-LOC\n\n창원\tI-LOC\n국가\tB-LOC\n산단\tI-LOC\n", encoding="utf-8")
    assert core(read_records(path)) == [
        ("x:1", "충북도 는 청주", [(0, 3, "ORG"), (6, 8, "LOC")]),
        ("x:5", "창원 국가 산단", [(0, 2, "LOC"), (3, 8, "LOC")]),  # IOB1 I- opens an entity
    ]


def test_conll_reads_docstart_bioes_and_space_separated_columns(tmp_path):
    path = tmp_path / "x.conll"
    path.write_text("-DOCSTART- -X- O\n\n한국 NNP S-LOC\n재료 NNG B-ORG\n연구원 NNG E-ORG\n\n가 JKS O\n"
                    "-DOCSTART- -X- O\n청주 NNP U-LOC\n", encoding="utf-8")
    assert core(read_records(path)) == [
        ("x:1", "한국 재료 연구원\n가", [(0, 2, "LOC"), (3, 9, "ORG")]),
        ("x:8", "청주", [(0, 2, "LOC")]),
    ]


def test_conll_bad_tags_and_tokens_skip_the_record_with_its_line(tmp_path):
    path = tmp_path / "x.conll"
    path.write_text('# id = "a"\n# text = "청주 에"\n청주\tX-LOC\n\n# id = "b"\n# text = "청주"\n충북\tO\n\n'
                    '# id = "c"\n# text = "청주"\n청주\tB-LOC\n', encoding="utf-8")
    with pytest.warns(FormatWarning) as caught:
        got = list(read_records(path))
    messages = "\n".join(str(w.message) for w in caught)
    assert core(got) == [("c", "청주", [(0, 2, "LOC")])]
    assert "line 3: tag 'X-LOC' is not O or B-" in messages
    assert "line 7: token '충북' is not at offset 0 of the `# text` comment" in messages


# ---------------------------------------------------------------- property: any text, any clean spans

ALPHABET = st.sampled_from(
    ["청", "주", "충", "북", "도", "는", "에", "서", "삼", "성", "전", "자", "와", "LG", "a", "7", ".", ",", "(", ")",
     "‘", "’", "㈜", "😀", "🇰🇷", "👩‍👩‍👧", "\u200b", " ", "  ", "\n", "\r\n", "\t", "\u3000", "\u2028", "\x85",
     unicodedata.normalize("NFD", "청주"), unicodedata.normalize("NFD", "한")])


@st.composite
def records(draw):
    """A text of Korean, emoji, NFD Hangul and odd whitespace, with non-overlapping spans not edged by whitespace."""
    text = "".join(draw(st.lists(ALPHABET, max_size=25)))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=8))))
    spans = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        if text[start:end].strip() == text[start:end] != "":
            spans.append((start, end, draw(st.sampled_from(["ORG", "LOC", "PROGRAM"]))))
    return rec("r", text, *spans)


@pytest.mark.parametrize("fmt", SUFFIX)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=records())
def test_any_record_survives_any_format(tmp_path, fmt, record):
    path = tmp_path / f"prop{SUFFIX[fmt]}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FormatWarning)  # spans cutting Kiwi tokens are reported for docbin
        write_records([record], path, fmt)
        assert core(read_records(path, fmt)) == core([record])


# ---------------------------------------------------------------- the commands

def test_import_writes_the_gold_format_that_evaluate_and_train_read(tmp_path):
    from kner.cli import app
    from typer.testing import CliRunner

    runner = CliRunner()
    src = tmp_path / "pred.jsonl"
    write_records([tricky_record()], src, "kner")
    ls = tmp_path / "tasks.json"
    result = runner.invoke(app, ["export", str(src), "--to", "labelstudio", "-o", str(ls)])
    assert result.exit_code == 0, result.output
    assert "labelstudio cannot hold, so dropped: tokens (1, first in record 't1')" in result.output
    gold = tmp_path / "gold.jsonl"
    result = runner.invoke(app, ["import", str(ls), "-o", str(gold)])
    assert result.exit_code == 0, result.output
    assert "prediction was read instead" in result.output
    line = json.loads(gold.read_text(encoding="utf-8"))
    assert list(line)[:4] == ["id", "text", "spans", "meta"]
    assert list(line["spans"][0])[:4] == ["start", "end", "label", "text"]
    assert core([Record.from_dict(line)]) == core([tricky_record()])
    again = runner.invoke(app, ["import", str(ls), "-o", str(gold)])
    assert again.exit_code == 1 and "exists; pass --force" in again.output


def test_import_exits_1_when_records_were_skipped(tmp_path):
    from kner.cli import app
    from typer.testing import CliRunner

    src = write_lines(tmp_path / "d.jsonl", ['{"text": "ab", "label": [[0, 5, "ORG"]]}', '{"text": "ab", "label": []}'])
    result = CliRunner().invoke(app, ["import", str(src), "--from", "doccano", "-o", str(tmp_path / "g.jsonl")])
    assert result.exit_code == 1
    assert f"{src}:1: span [0, 5) is outside the text of length 2; record skipped" in result.output
    assert "wrote 1 records" in result.output


def test_the_correction_loop_feeds_evaluate_and_train(tmp_path):
    """annotate output -> Label Studio -> a reviewer relabels one span and deletes another -> import -> evaluate."""
    from kner.cli import app
    from kner.evaluate import run
    from kner.train import read_gold
    from typer.testing import CliRunner

    pred = tmp_path / "pred.jsonl"
    write_records([tricky_record()], pred, "kner")
    tasks = tmp_path / "tasks.json"
    CliRunner().invoke(app, ["export", str(pred), "--to", "labelstudio", "-o", str(tasks)])
    exported = json.loads(tasks.read_text(encoding="utf-8"))
    regions = exported[0]["predictions"][0]["result"]
    corrected = [dict(regions[0], value={**regions[0]["value"], "labels": ["LOC"]}), *regions[2:]]
    exported[0]["annotations"] = [{"result": corrected, "was_cancelled": False}]
    write_ls(tasks, exported)
    gold = tmp_path / "gold.jsonl"
    result = CliRunner().invoke(app, ["import", str(tasks), "-o", str(gold)])
    assert result.exit_code == 0 and "warning" not in result.output, result.output
    assert [(s.text, s.label) for s in next(read_gold(gold)).spans] == [
        ("충북도", "LOC"), (NFD[:4], "LOC"), ("LG화학", "ORG"), ("월덱스", "ORG")]
    ev = run(str(gold), str(pred), bootstrap=0).evaluation
    assert ev.headline == pytest.approx(2 * (3 / 5) * (3 / 4) / (3 / 5 + 3 / 4))  # 3 of 5 kept, 3 of 4 found


def test_missing_fields_and_empty_files(tmp_path):
    path = write_lines(tmp_path / "d.jsonl", ['{"text": "청주", "entities": [{"start_offset": 0, "label": "LOC"}]}'])
    with pytest.warns(FormatWarning, match=r"d.jsonl:1: missing field 'end_offset'; record skipped"):
        assert list(read_records(path)) == []
    empty = write_lines(tmp_path / "e.json", [])
    assert detect_format(empty) == "kner" and list(read_records(empty)) == []


def test_docs_show_the_label_studio_config_the_export_uses():
    from pathlib import Path

    from kner.formats import LABEL_CONFIG

    assert LABEL_CONFIG in (Path(__file__).parent.parent / "docs" / "interop.md").read_text(encoding="utf-8")
