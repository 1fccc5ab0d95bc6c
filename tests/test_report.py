"""Tests for pipeline/report.py: terminal tables, the documented JSON keys and the offline HTML report."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from kner import report
from kner.evaluate import MODES, evaluate
from kner.records import Record, Span

DOCS = Path(__file__).resolve().parent.parent / "docs" / "evaluate.md"
TEXT = "충북도는 청주에서 <b>소부장 특화단지</b> 사업을 열었다. 경남TP와 창원시가 함께했다."


def sp(start, end, label, source="rules"):
    return Span(start, end, label, TEXT[start:end], source)


def sample(**kw):
    """Three gold documents: correct spans, a label error, a boundary error, misses and a spurious span."""
    gold = [Record("a", TEXT, (sp(0, 3, "ORG"), sp(5, 7, "LOC"), sp(13, 21, "PROGRAM"), sp(35, 39, "ORG"))),
            Record("b", "경남TP", (Span(0, 4, "ORG", "경남TP"),)), Record("gone", "구미", (Span(0, 2, "LOC", "구미"),))]
    pred = [Record("a", TEXT, (sp(0, 3, "ORG"), sp(5, 7, "ORG", "model"), sp(13, 16, "PROGRAM"),
                               sp(41, 43, "LOC"), sp(46, 48, "PS"))),
            Record("b", "경남TP", (Span(0, 4, "ORG", "경남TP", "rules"),)), Record("new", "x", ())]
    return evaluate(gold, pred, **kw)


def test_sample_spans_are_what_the_comments_say():
    assert [s.text for s in sample(bootstrap=0).docs[0].gold] == ["충북도", "청주", "소부장 특화단지", "경남TP"]


def test_text_report_has_label_rows_micro_confusion_and_sources():
    ev = sample(bootstrap=100)
    sections = report.text_report(ev).split("\n\n")
    table = {line.split()[0]: line.split() for line in sections[1].splitlines()}
    # micro: 2 of 5 predictions correct, 2 of 6 gold spans found
    assert table["micro"][1:6] == ["6", "5", "0.400", "0.333", "0.364"]
    assert table["ORG"][1:3] == ["3", "3"]
    confusion = {line.split()[0]: line.split()[1:] for line in sections[4].splitlines()[2:]}
    assert confusion["SPURIOUS"] == ["0", "1", "0", "0"]  # 창원 predicted LOC where gold has nothing
    assert confusion["LOC"] == ["1", "0", "0", "1"]  # 청주 predicted ORG; 구미 missed
    sources = {line.split()[0]: line.split()[1:] for line in sections[5].splitlines()[2:]}
    assert sources["model"][:3] == ["1", "0", "1"]  # one model span, 0 correct, 1 label error
    assert len(sections) == 6  # no worst-documents section unless asked


def test_worst_documents_list_errors_with_context():
    text = report.worst_text(sample(bootstrap=0), 1)
    assert text.splitlines()[0] == "worst documents (1 of 2 with errors)"
    assert "a: 4 errors" in text
    assert "boundary        PROGRAM -> PROGRAM gold «소부장 특화단지»  pred «소부장»" in text
    assert "…충북도는 ⟦청주⟧에서 <b>소부장" in text


def test_warnings_name_missing_extra_ignored_and_duplicates():
    messages = " | ".join(report.warnings(sample(bootstrap=0)))
    assert "1 gold document(s) have no prediction record" in messages and "gone" in messages
    assert "1 prediction record(s) have no gold record and are ignored: new" in messages
    assert "predicted spans with labels outside ORG/LOC/PROGRAM are ignored: PS 1" in messages
    assert "label PROGRAM" not in messages
    typo = " | ".join(report.warnings(sample(labels=("ORG", "LCO"), bootstrap=0)))
    assert "no gold or predicted span has the label LCO" in typo and "label ORG" not in typo


TOP_KEYS = {"schema", "kner_version", "gold", "pred", "labels", "documents", "ignored_spans", "duplicate_spans",
            "bootstrap", "scores", "errors", "confusion", "by_source", "ablation", "worst_documents", "warnings"}
SCORE_KEYS = {"p", "r", "f", "n_gold", "n_pred", "found", "correct", "ci"}


def test_json_keys_are_stable_and_values_match_the_evaluation():
    ev = sample(bootstrap=50)
    d = json.loads(json.dumps(report.to_dict(ev, gold="g.jsonl", pred="p.jsonl", errors=5), ensure_ascii=False))
    assert set(d) == TOP_KEYS and d["schema"] == "kner.evaluate/1"
    assert set(d["scores"]) == set(MODES)
    for mode in MODES:
        assert list(d["scores"][mode]) == ["micro", "ORG", "LOC", "PROGRAM"]
        for row in d["scores"][mode].values():
            assert set(row) == SCORE_KEYS and set(row["ci"]) == {"p", "r", "f"}
    assert d["scores"]["strict"]["micro"]["p"] == round(ev.scores["strict"]["micro"].p, 4) == 0.4
    assert d["documents"] == {"scored": 3, "with_errors": 2, "missing_in_pred": ["gone"], "extra_in_pred": ["new"]}
    assert d["confusion"]["counts"]["LOC"]["ORG"] == 1 and d["errors"]["missed"] == 2
    assert d["scores"]["strict"]["micro"]["f"] == 0.3636
    assert [w["id"] for w in d["worst_documents"]] == ["a", "gone"]
    assert d["worst_documents"][0]["errors"][0] == {
        "type": "label", "gold": {"start": 5, "end": 7, "label": "LOC", "text": "청주", "source": "rules"},
        "pred": {"start": 5, "end": 7, "label": "ORG", "text": "청주", "source": "model"}}
    assert d["ablation"] is None and d["by_source"]["model"]["label"] == 1


def test_json_without_bootstrap_has_null_intervals():
    d = report.to_dict(sample(bootstrap=0))
    assert d["bootstrap"] is None and d["scores"]["strict"]["micro"]["ci"] is None and d["worst_documents"] == []


def test_every_json_key_is_documented():
    doc = DOCS.read_text(encoding="utf-8")
    for key in TOP_KEYS | SCORE_KEYS:
        assert f"`{key}`" in doc, key


class TagChecker(HTMLParser):
    """Collects tags and checks that every opened element is closed in order."""

    VOID = {"meta", "br", "hr", "img", "input", "link", "rect", "line"}

    def __init__(self):
        super().__init__()
        self.stack, self.tags, self.problems = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(tag)


def test_html_is_self_contained_balanced_and_escapes_the_text():
    ev = sample(bootstrap=50)
    page = report.to_html(ev, gold="g.jsonl", pred="p.jsonl", ablation={"rules": ev, "combined": ev})
    checker = TagChecker()
    checker.feed(page)
    assert not checker.problems and not checker.stack
    names = [t for t, _ in checker.tags]
    assert "script" not in names and "link" not in names and "img" not in names
    assert not re.search(r"https?://|src=|@import|url\(", page)
    assert names.count("svg") == 2 and "&lt;b&gt;" in page and "&lt;/b&gt;" in page and "<b>소부장" not in page
    assert 'class="heat"' in page and "Ablation" in page and "Errors in context" in page
    marks = [a for t, a in checker.tags if t == "mark"]
    assert any("focus" in a["class"] for a in marks)  # the errors are outlined


def test_html_bars_have_heights_proportional_to_scores():
    ev = sample(bootstrap=0)
    page = report.to_html(ev)
    micro_f = ev.scores["strict"]["micro"].f
    titles = re.findall(r'height="([\d.]+)" fill="[^"]+"><title>micro F1: ([\d.]+)', page)
    assert titles and float(titles[0][0]) == 200 * micro_f and float(titles[0][1]) == round(micro_f, 3)
