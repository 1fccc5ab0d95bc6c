"""Tests for pipeline/evaluate.py: hand-computed cases, invariants, and agreement with seqeval and spaCy's scorer."""

import json
import random
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kner.evaluate import MICRO, MISSED, SPURIOUS, EvaluateError, align, evaluate, match_spans, overlapping_pairs
from kner.records import LABELS, Record, Span

ROOT = Path(__file__).resolve().parent.parent
KLUE = ROOT / "data" / "klue-ner" / "train.jsonl"
TEXT = "충북도는 청주에서 소부장 특화단지 사업을 열었다. 경남TP와 창원시가 함께했다."


def sp(start, end, label, source=""):
    """A span on TEXT."""
    return Span(start, end, label, TEXT[start:end], source)


def rec(spans, rid="d1", text=TEXT):
    """A record on TEXT with `spans`."""
    return Record(id=rid, text=text, spans=tuple(spans))


def score(gold_spans, pred_spans, labels=LABELS, **kw):
    """Evaluate one document without bootstrap."""
    return evaluate([rec(gold_spans)], [rec(pred_spans)], labels, bootstrap=0, **kw)


def prf(s):
    return (round(s.p, 6), round(s.r, 6), round(s.f, 6))


# ---------------------------------------------------------------- hand-computed cases

def test_perfect_prediction_scores_one_everywhere():
    gold = [sp(0, 3, "ORG"), sp(5, 7, "LOC"), sp(10, 21, "PROGRAM")]
    ev = score(gold, gold)
    for mode in ev.scores:
        assert prf(ev.scores[mode][MICRO]) == (1.0, 1.0, 1.0)
    assert ev.error_counts["correct"] == 3 and sum(ev.error_counts.values()) == 3


def test_hand_computed_document_with_every_kind_of_error():
    gold = [sp(0, 3, "ORG"),        # 충북도: predicted exactly -> correct
            sp(5, 7, "LOC"),        # 청주: predicted as ORG -> label error
            sp(10, 18, "PROGRAM"),  # 소부장 특화단지: predicted 소부장 특화단지 사업 -> boundary error
            sp(28, 32, "ORG"),      # 경남TP: missed
            sp(34, 37, "ORG")]      # 창원시: predicted 창원 LOC -> label+boundary error
    pred = [sp(0, 3, "ORG"), sp(5, 7, "ORG"), sp(10, 21, "PROGRAM"), sp(34, 36, "LOC"),
            sp(23, 25, "LOC")]      # 열었: spurious
    assert [s.text for s in pred] == ["충북도", "청주", "소부장 특화단지 사업", "창원", "열었"]
    ev = score(gold, pred)
    # strict: 1 correct of 5 predicted, 1 found of 5 gold
    assert prf(ev.scores["strict"][MICRO]) == (0.2, 0.2, 0.2)
    # relaxed (same label, overlap): 충북도 and 소부장 on both sides -> P 2/5, R 2/5
    assert prf(ev.scores["relaxed"][MICRO]) == (0.4, 0.4, 0.4)
    # label-blind (exact boundaries): 충북도, 청주 -> P 2/5, R 2/5
    assert prf(ev.scores["label_blind"][MICRO]) == (0.4, 0.4, 0.4)
    org = ev.scores["strict"]["ORG"].counts
    assert (org.n_gold, org.n_pred, org.found, org.correct) == (3, 2, 1, 1)
    # label-blind per label: the ORG prediction 청주 has gold boundaries (gold LOC) -> ORG precision 2/2
    blind_org = ev.scores["label_blind"]["ORG"].counts
    assert (blind_org.correct, blind_org.n_pred, blind_org.found, blind_org.n_gold) == (2, 2, 1, 3)
    assert dict(ev.error_counts) == {"correct": 1, "label": 1, "boundary": 1, "label+boundary": 1,
                                     "missed": 1, "spurious": 1}
    assert ev.confusion["LOC"]["ORG"] == 1 and ev.confusion["ORG"]["LOC"] == 1
    assert ev.confusion["ORG"][MISSED] == 1 and ev.confusion[SPURIOUS]["LOC"] == 1
    assert ev.confusion["PROGRAM"]["PROGRAM"] == 1 and ev.confusion["ORG"]["ORG"] == 1


def test_f1_is_harmonic_mean_when_precision_and_recall_differ():
    ev = score([sp(0, 3, "ORG"), sp(5, 7, "LOC"), sp(28, 32, "ORG")], [sp(0, 3, "ORG")])
    assert prf(ev.scores["strict"][MICRO]) == (1.0, round(1 / 3, 6), 0.5)


def test_split_prediction_is_relaxed_correct_twice_but_matched_once():
    gold = [sp(10, 21, "PROGRAM")]                         # 소부장 특화단지 사업
    pred = [sp(10, 13, "PROGRAM"), sp(14, 18, "PROGRAM")]  # 소부장 / 특화단지
    ev = score(gold, pred)
    relaxed = ev.scores["relaxed"][MICRO].counts
    assert (relaxed.correct, relaxed.n_pred, relaxed.found, relaxed.n_gold) == (2, 2, 1, 1)
    assert ev.error_counts["boundary"] == 1 and ev.error_counts["spurious"] == 1
    assert ev.scores["strict"][MICRO].f == 0.0


def test_empty_documents():
    ev = evaluate([rec([], "a"), rec([sp(0, 3, "ORG")], "b"), rec([], "c")],
                  [rec([], "a"), rec([], "b"), rec([sp(5, 7, "LOC")], "c")], bootstrap=0)
    micro = ev.scores["strict"][MICRO].counts
    assert (micro.n_gold, micro.n_pred, micro.found, micro.correct) == (1, 1, 0, 0)
    assert ev.scores["strict"][MICRO].f == 0.0
    assert [len(d.errors) for d in ev.docs] == [0, 1, 1]
    nothing = score([], [])
    assert prf(nothing.scores["strict"][MICRO]) == (0.0, 0.0, 0.0) and not nothing.docs[0].matches


def test_duplicates_count_once_and_are_reported():
    ev = score([sp(0, 3, "ORG"), sp(0, 3, "ORG")], [sp(0, 3, "ORG"), sp(0, 3, "ORG"), sp(0, 3, "ORG")])
    assert prf(ev.scores["strict"][MICRO]) == (1.0, 1.0, 1.0)
    assert dict(ev.duplicates) == {"gold": 1, "pred": 2}


def test_same_boundaries_with_two_labels_are_two_predictions():
    ev = score([sp(0, 3, "ORG")], [sp(0, 3, "ORG"), sp(0, 3, "LOC")])
    assert prf(ev.scores["strict"][MICRO]) == (0.5, 1.0, round(2 / 3, 6))
    assert ev.error_counts["correct"] == 1 and ev.error_counts["spurious"] == 1


def test_other_labels_are_ignored_and_counted():
    ev = score([sp(0, 3, "ORG"), sp(5, 7, "PS"), sp(10, 13, "DT")], [sp(0, 3, "ORG"), sp(5, 7, "PS")])
    assert prf(ev.scores["strict"][MICRO]) == (1.0, 1.0, 1.0)
    assert dict(ev.ignored["gold"]) == {"DT": 1, "PS": 1} and dict(ev.ignored["pred"]) == {"PS": 1}


def test_labels_option_restricts_scoring():
    ev = score([sp(0, 3, "ORG"), sp(5, 7, "LOC")], [sp(0, 3, "ORG")], labels=("ORG",))
    assert prf(ev.scores["strict"][MICRO]) == (1.0, 1.0, 1.0)
    assert list(ev.scores["strict"]) == [MICRO, "ORG"] and dict(ev.ignored["gold"]) == {"LOC": 1}


def test_micro_is_sum_of_labels_and_strict_matches_are_the_diagonal():
    gold = [sp(0, 3, "ORG"), sp(5, 7, "LOC"), sp(10, 21, "PROGRAM")]
    pred = [sp(0, 3, "LOC"), sp(5, 7, "LOC"), sp(10, 21, "PROGRAM"), sp(28, 32, "ORG")]
    ev = score(gold, pred)
    for mode, scores in ev.scores.items():
        total = sum((scores[label].counts for label in ev.labels), type(scores[MICRO].counts)())
        assert total == scores[MICRO].counts, mode


# ---------------------------------------------------------------- matching ids and texts

def test_align_reports_missing_and_extra_ids():
    gold = [rec([sp(0, 3, "ORG")], "a"), rec([sp(0, 3, "ORG")], "b")]
    pred = [rec([sp(0, 3, "ORG")], "a"), rec([], "zzz")]
    ev = evaluate(gold, pred, bootstrap=0)
    assert ev.missing == ("b",) and ev.extra == ("zzz",)
    assert prf(ev.scores["strict"][MICRO]) == (1.0, 0.5, round(2 / 3, 6))


def test_text_that_differs_for_an_id_is_an_error_naming_id_and_offset():
    with pytest.raises(EvaluateError, match=r"id 'a'.*offset 4"):
        align([rec([], "a")], [rec([], "a", text=TEXT[:4] + "X" + TEXT[5:])])
    with pytest.raises(EvaluateError, match=r"offset 10"):
        align([rec([], "a")], [rec([], "a", text=TEXT[:10])])


def test_duplicate_ids_and_disjoint_ids_are_errors():
    with pytest.raises(EvaluateError, match="appears twice in the gold"):
        align([rec([], "a"), rec([], "a")], [])
    with pytest.raises(EvaluateError, match="none of the 1 prediction ids"):
        align([rec([], "a")], [rec([], "b")])


# ---------------------------------------------------------------- matching internals

span_lists = st.lists(st.tuples(st.integers(0, 30), st.integers(1, 6), st.sampled_from(LABELS)), max_size=12)


def to_spans(items):
    return [Span(s, s + n, label) for s, n, label in items]


@given(span_lists, span_lists)
@settings(max_examples=200, deadline=None)
def test_overlapping_pairs_equals_brute_force(gold_items, pred_items):
    gold, pred = to_spans(gold_items), to_spans(pred_items)
    brute = {(i, j) for i, g in enumerate(gold) for j, p in enumerate(pred) if g.start < p.end and p.start < g.end}
    assert set(overlapping_pairs(gold, pred)) == brute


@given(span_lists, span_lists)
@settings(max_examples=200, deadline=None)
def test_matches_use_every_span_once_and_confusion_sums_to_counts(gold_items, pred_items):
    text = "가" * 40
    ev = evaluate([Record("x", text, tuple(to_spans(gold_items)))],
                  [Record("x", text, tuple(to_spans(pred_items)))], bootstrap=0)
    doc = ev.docs[0]
    assert Counter(m.gold for m in doc.matches if m.gold) == Counter(doc.gold)
    assert Counter(m.pred for m in doc.matches if m.pred) == Counter(doc.pred)
    strict = ev.scores["strict"]
    assert ev.error_counts["correct"] == strict[MICRO].counts.correct
    for label in LABELS:
        assert sum(ev.confusion[label].values()) == strict[label].counts.n_gold
        assert sum(row[label] for row in ev.confusion.values()) == strict[label].counts.n_pred


def test_match_prefers_exact_pairs_over_bigger_overlaps():
    gold = [Span(0, 4, "ORG"), Span(4, 10, "LOC")]
    pred = [Span(0, 10, "LOC"), Span(0, 4, "ORG")]
    kinds = {(m.gold, m.pred): m.type for m in match_spans(gold, pred)}
    assert kinds[(gold[0], pred[1])] == "correct" and kinds[(gold[1], pred[0])] == "boundary"


# ---------------------------------------------------------------- bootstrap

def klue_records(n=None):
    with open(KLUE, encoding="utf-8") as f:
        return [Record.from_dict(json.loads(line)) for line in list(f)[:n]]


def test_bootstrap_is_reproducible_and_brackets_the_estimate():
    gold = klue_records(400)
    pred = [perturb(r, random.Random(i)) for i, r in enumerate(gold)]
    a = evaluate(gold, pred, bootstrap=200, seed=7)
    b = evaluate(gold, pred, bootstrap=200, seed=7)
    c = evaluate(gold, pred, bootstrap=200, seed=8)
    s = a.scores["strict"][MICRO]
    assert s.ci == b.scores["strict"][MICRO].ci != c.scores["strict"][MICRO].ci
    for k in ("p", "r", "f"):
        lo, hi = s.ci[k]
        assert lo < getattr(s, k) < hi and hi - lo < 0.15
    assert a.bootstrap == {"samples": 200, "seed": 7, "level": 0.95}
    assert evaluate(gold, pred, bootstrap=0).scores["strict"][MICRO].ci is None


def test_bootstrap_of_identical_documents_has_zero_width():
    docs = [rec([sp(0, 3, "ORG"), sp(5, 7, "LOC")], str(i)) for i in range(20)]
    preds = [rec([sp(0, 3, "ORG")], str(i)) for i in range(20)]
    s = evaluate(docs, preds, bootstrap=50).scores["strict"][MICRO]
    assert s.ci["f"] == pytest.approx((s.f, s.f)) and s.ci["r"] == pytest.approx((0.5, 0.5))


# ---------------------------------------------------------------- independent implementations

def perturb(record: Record, rng: random.Random) -> Record:
    """Synthetic predictions: drop, relabel, shift a boundary, add spurious spans; never overlapping."""
    text = record.text
    spans = []
    for s in record.spans:
        r = rng.random()
        start, end, label = s.start, s.end, s.label
        if r < 0.15:
            continue
        if r < 0.3:
            label = rng.choice(["ORG", "LOC", "PROGRAM", "PS"])
        elif r < 0.45:
            shift = rng.choice((-1, 1))
            start, end = (start + shift, end) if rng.random() < 0.5 else (start, end + shift)
        spans.append((start, end, label))
    for _ in range(rng.choice((0, 0, 1, 2))):
        start = rng.randrange(len(text))
        spans.append((start, min(len(text), start + rng.randint(1, 4)), rng.choice(["ORG", "LOC", "PROGRAM"])))
    kept, last_end = [], 0
    for start, end, label in sorted(spans):
        ok = 0 <= start < end <= len(text) and not text[start].isspace() and not text[end - 1].isspace()
        if ok and start >= last_end:
            kept.append(Span(start, end, label, text[start:end]))
            last_end = end
    return record.with_spans(kept)


def char_bio(record: Record, labels) -> list[str]:
    """Character-level IOB2 tags of the record's spans with a scored label."""
    tags = ["O"] * len(record.text)
    for s in record.spans:
        if s.label in labels:
            tags[s.start] = f"B-{s.label}"
            for i in range(s.start + 1, s.end):
                tags[i] = f"I-{s.label}"
    return tags


def seqeval_report(gold, pred, labels):
    from seqeval.metrics import classification_report

    return classification_report([char_bio(g, labels) for g in gold], [char_bio(p, labels) for p in pred],
                                 output_dict=True, zero_division=0)


def assert_agrees_with_seqeval(ev, report, labels):
    micro = ev.scores["strict"][MICRO]
    assert (micro.p, micro.r, micro.f) == pytest.approx(
        (report["micro avg"]["precision"], report["micro avg"]["recall"], report["micro avg"]["f1-score"]))
    assert micro.counts.n_gold == report["micro avg"]["support"]
    for label in labels:
        s = ev.scores["strict"][label]
        if label in report:
            assert (s.p, s.r, s.f, s.counts.n_gold) == pytest.approx(
                (report[label]["precision"], report[label]["recall"], report[label]["f1-score"],
                 report[label]["support"]))
        else:  # seqeval lists only labels that occur on some side
            assert s.counts.n_gold == s.counts.n_pred == 0


def test_strict_scores_agree_with_seqeval_on_klue_with_perturbed_predictions():
    gold = klue_records()
    rng = random.Random(13)
    pred = [perturb(r, rng) for r in gold]
    ev = evaluate(gold, pred, bootstrap=0)
    assert ev.scores["strict"][MICRO].counts.n_gold == 1525 + 1149  # KLUE's ORG + LOC (data/README.md)
    assert 0.3 < ev.scores["strict"][MICRO].f < 0.9  # the perturbation makes real errors
    assert_agrees_with_seqeval(ev, seqeval_report(gold, pred, LABELS), LABELS)


@given(st.lists(st.tuples(span_lists, span_lists), min_size=1, max_size=4))
@settings(max_examples=100, deadline=None)
def test_strict_scores_agree_with_seqeval_on_random_documents(docs):
    gold, pred = [], []
    for i, (g_items, p_items) in enumerate(docs):
        text = "가나 다라" * 8
        gold.append(Record(str(i), text, tuple(_non_overlapping(to_spans(g_items)))))
        pred.append(Record(str(i), text, tuple(_non_overlapping(to_spans(p_items)))))
    ev = evaluate(gold, pred, bootstrap=0)
    if ev.scores["strict"][MICRO].counts.n_gold and ev.scores["strict"][MICRO].counts.n_pred:
        assert_agrees_with_seqeval(ev, seqeval_report(gold, pred, LABELS), LABELS)


def _non_overlapping(spans):
    out, last_end = [], 0
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        if s.start >= last_end:
            out.append(s)
            last_end = s.end
    return out


def test_strict_scores_agree_with_spacy_scorer(blank_nlp):
    from spacy.scorer import Scorer
    from spacy.tokens import Doc
    from spacy.training import Example

    gold = klue_records(600)
    rng = random.Random(5)
    pred = [perturb(r, rng) for r in gold]
    examples = []
    for g, p in zip(gold, pred, strict=True):
        def char_doc(r):  # one token per character, so character offsets are token offsets
            doc = Doc(blank_nlp.vocab, words=list(r.text), spaces=[False] * len(r.text))
            doc.ents = [doc.char_span(s.start, s.end, s.label) for s in r.spans if s.label in LABELS]
            return doc
        examples.append(Example(char_doc(p), char_doc(g)))
    spacy_scores = Scorer.score_spans(examples, "ents")
    ev = evaluate(gold, pred, bootstrap=0)
    micro = ev.scores["strict"][MICRO]
    assert (micro.p, micro.r, micro.f) == pytest.approx(
        (spacy_scores["ents_p"], spacy_scores["ents_r"], spacy_scores["ents_f"]))
    for label, row in spacy_scores["ents_per_type"].items():
        s = ev.scores["strict"][label]
        assert (s.p, s.r, s.f) == pytest.approx((row["p"], row["r"], row["f"]))


# ---------------------------------------------------------------- the pipeline's layers and the command

def test_annotate_for_evaluation_scores_each_layer():
    from kner.evaluate import annotate_for_evaluation
    from kner.layers import FINAL, set_layer
    from kner.nlp import blank
    from spacy.language import Language

    @Language.component("kner_test_fake_taggers")
    def fake_taggers(doc):
        set_layer(doc, "rules", [Span(0, 3, "ORG", "충북도")])
        set_layer(doc, "model", [Span(0, 3, "LOC", "충북도"), Span(5, 7, "LOC", "청주")])
        set_layer(doc, FINAL, [Span(0, 3, "ORG", "충북도"), Span(5, 7, "LOC", "청주")])
        return doc

    nlp = blank()
    nlp.add_pipe("kner_test_fake_taggers")
    gold = [rec([sp(0, 3, "ORG"), sp(5, 7, "LOC")])]
    systems = annotate_for_evaluation(nlp, gold)
    assert list(systems) == ["combined", "rules", "model"]
    assert systems["combined"][0].text == TEXT and systems["combined"][0].id == "d1"
    f1 = {name: evaluate(gold, recs, bootstrap=0).headline for name, recs in systems.items()}
    assert f1 == pytest.approx({"combined": 1.0, "rules": 2 / 3, "model": 0.5})


@pytest.fixture
def files(tmp_path):
    """A gold file and a prediction file with one label error in four spans (strict micro F1 0.75)."""
    gold = tmp_path / "gold.jsonl"
    pred = tmp_path / "pred.jsonl"
    gold.write_text("".join(r.to_json() + "\n" for r in [
        rec([sp(0, 3, "ORG"), sp(5, 7, "LOC")], "a"), rec([sp(28, 32, "ORG"), sp(34, 37, "ORG")], "b")]),
        encoding="utf-8")
    pred.write_text("".join(r.to_json() + "\n" for r in [
        rec([sp(0, 3, "ORG"), sp(5, 7, "ORG")], "a"), rec([sp(28, 32, "ORG"), sp(34, 37, "ORG")], "b")]),
        encoding="utf-8")
    return gold, pred


def kner(*args):
    from kner.cli import app
    from typer.testing import CliRunner

    return CliRunner().invoke(app, ["evaluate", *map(str, args)])


def test_cli_prints_the_table_and_gates_on_fail_under(files):
    gold, pred = files
    result = kner(gold, pred, "--bootstrap", "0", "--errors", "1", "--fail-under", "0.7")
    assert result.exit_code == 0, result.output
    micro = next(line.split() for line in result.stdout.splitlines() if line.startswith("micro "))
    assert micro[:6] == ["micro", "4", "4", "0.750", "0.750", "0.750"]
    assert "a: 1 error (gold 2" in result.stdout and "label           LOC -> ORG" in result.stdout
    result = kner(gold, pred, "--fail-under", "0.8")
    assert result.exit_code == 1 and "strict micro F1 0.7500 is below --fail-under 0.8" in result.stderr


def test_cli_json_to_stdout_and_file_and_html(files, tmp_path):
    gold, pred = files
    result = kner(gold, pred, "--json", "-", "--bootstrap", "20")
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    assert d["scores"]["strict"]["micro"]["f"] == 0.75 and d["bootstrap"]["samples"] == 20
    out, page = tmp_path / "e.json", tmp_path / "e.html"
    assert kner(gold, pred, "--json", out, "--html", page).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["pred"] == str(pred)
    assert "<svg" in page.read_text(encoding="utf-8")
    again = kner(gold, pred, "--json", out)
    assert again.exit_code == 1 and "--force" in again.stderr
    assert kner(gold, pred, "--json", out, "--force").exit_code == 0


def test_cli_reads_prodigy_and_doccano_gold(files, tmp_path):
    from kner.formats import read_records, write_records

    gold, pred = files
    for fmt in ("prodigy", "doccano"):
        converted = tmp_path / f"gold.{fmt}.jsonl"
        write_records(read_records(gold), converted, fmt)
        result = kner(converted, pred, "--format", fmt, "--json", "-", "--bootstrap", "0")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["scores"]["strict"]["micro"]["f"] == 0.75, fmt


def test_cli_reports_differing_text_and_missing_ids(files, tmp_path):
    gold, pred = files
    bad = tmp_path / "bad.jsonl"
    bad.write_text(rec([], "a", text=TEXT.replace("청주", "청수")).to_json() + "\n", encoding="utf-8")
    result = kner(gold, bad)
    assert result.exit_code == 1 and "[E502] id 'a'" in result.stderr and "offset 6" in result.stderr
    partial = tmp_path / "partial.jsonl"
    partial.write_text(pred.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    result = kner(gold, partial, "--bootstrap", "0")
    assert result.exit_code == 0 and "1 gold document(s) have no prediction record" in result.stderr


def test_cli_refuses_an_empty_gold_file(files, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    result = kner(empty, files[1], "--format", "kner")
    assert result.exit_code == 1 and "[E504]" in result.stderr


def test_cli_labels_option(files):
    gold, pred = files
    result = kner(gold, pred, "--labels", "LOC", "--json", "-", "--bootstrap", "0")
    d = json.loads(result.stdout)
    assert d["labels"] == ["LOC"] and d["scores"]["strict"]["micro"]["r"] == 0.0
    assert d["ignored_spans"]["gold"] == {"ORG": 3}


@pytest.mark.slow
def test_cli_runs_the_rule_pipeline_on_the_seeds_with_ablation():
    result = kner(ROOT / "seeds" / "gold.jsonl", "--model", "rules", "--json", "-", "--bootstrap", "0")
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    assert d["pred"] is None and d["documents"]["scored"] == 5
    assert list(d["ablation"]) == ["rules", "combined"]  # a rules-only pipeline has no "model" layer
    assert d["ablation"]["combined"]["strict"] == d["scores"]["strict"]["micro"]


def test_seed_articles_round_trip_annotate_then_evaluate(tmp_path):
    """`kner annotate seeds/` names records by file stem, and so does seeds/gold.jsonl: every document aligns."""
    from kner.cli import app
    from typer.testing import CliRunner

    out = tmp_path / "a.jsonl"
    runner = CliRunner()
    assert runner.invoke(app, ["annotate", "seeds/", "-o", str(out), "-m", "rules", "-q"]).exit_code == 0
    result = runner.invoke(app, ["evaluate", "seeds/gold.jsonl", str(out), "--json", str(tmp_path / "e.json")])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    assert report["documents"]["scored"] == 5 and report["documents"]["missing_in_pred"] == []
