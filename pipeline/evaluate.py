"""Score predicted spans against gold on character offsets: strict, relaxed and label-blind P/R/F1, errors, CIs.

Pure library: functions return dataclasses and print nothing; `pipeline/report.py` formats them.
How the figures are defined is documented in docs/evaluate.md.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import EvaluateError
from .records import LABELS, Record, Span

MODES = ("strict", "relaxed", "label_blind")
MICRO = "micro"
MISSED, SPURIOUS = "MISSED", "SPURIOUS"
CORRECT = "correct"
ERROR_TYPES = ("label", "boundary", "label+boundary", "missed", "spurious")
CI_LEVEL = 0.95


@dataclass(frozen=True)
class Counts:
    """The counts behind one P/R/F1: precision = correct / n_pred, recall = found / n_gold."""

    n_gold: int = 0
    n_pred: int = 0
    found: int = 0  # gold spans matched by at least one prediction
    correct: int = 0  # predicted spans matched by at least one gold span

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.n_gold + other.n_gold, self.n_pred + other.n_pred,
                      self.found + other.found, self.correct + other.correct)

    @property
    def precision(self) -> float:
        """Share of predicted spans that are right; 0.0 when nothing was predicted."""
        return self.correct / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        """Share of gold spans that were found; 0.0 when there is no gold span."""
        return self.found / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall; 0.0 when both are 0."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Score:
    """One row of figures: counts, P/R/F1 and, when bootstrapped, their confidence intervals."""

    counts: Counts
    ci: Mapping[str, tuple[float, float]] | None = None  # {"p": (lo, hi), "r": ..., "f": ...}

    @property
    def p(self) -> float:
        """Precision."""
        return self.counts.precision

    @property
    def r(self) -> float:
        """Recall."""
        return self.counts.recall

    @property
    def f(self) -> float:
        """F1."""
        return self.counts.f1


@dataclass(frozen=True)
class Match:
    """A gold span and/or a predicted span paired one-to-one, with the verdict on the pair."""

    type: str  # CORRECT or one of ERROR_TYPES
    gold: Span | None
    pred: Span | None

    @property
    def start(self) -> int:
        """Leftmost offset of the pair, for sorting and context windows."""
        return min(s.start for s in (self.gold, self.pred) if s is not None)

    @property
    def end(self) -> int:
        """Rightmost end offset of the pair."""
        return max(s.end for s in (self.gold, self.pred) if s is not None)


@dataclass(frozen=True)
class DocResult:
    """One scored document: its kept spans, the one-to-one matches and its counts per mode and label."""

    id: str
    text: str
    gold: tuple[Span, ...]
    pred: tuple[Span, ...]
    matches: tuple[Match, ...]
    counts: Mapping[str, Mapping[str, Counts]]  # mode -> label -> counts

    @property
    def errors(self) -> list[Match]:
        """The matches that are not correct, in text order."""
        return [m for m in self.matches if m.type != CORRECT]

    @property
    def strict(self) -> Counts:
        """Strict micro counts of this document."""
        return sum(self.counts["strict"].values(), Counts())


@dataclass(frozen=True)
class Evaluation:
    """Everything `kner evaluate` reports about one set of predictions against gold."""

    labels: tuple[str, ...]
    scores: Mapping[str, Mapping[str, Score]]  # mode -> "micro" or label -> score
    confusion: Mapping[str, Mapping[str, int]]  # gold label or SPURIOUS -> predicted label or MISSED -> count
    error_counts: Mapping[str, int]  # CORRECT and ERROR_TYPES -> number of matches
    by_source: Mapping[str, Mapping[str, int]]  # predicted span source -> n_pred and match types
    docs: tuple[DocResult, ...]
    missing: tuple[str, ...]  # gold ids with no prediction record (scored as predicting nothing)
    extra: tuple[str, ...]  # prediction ids not in gold (ignored)
    ignored: Mapping[str, Mapping[str, int]]  # "gold"/"pred" -> label outside `labels` -> spans ignored
    duplicates: Mapping[str, int]  # "gold"/"pred" -> identical spans dropped
    bootstrap: Mapping[str, float] | None  # {"samples", "seed", "level"} or None when disabled

    @property
    def headline(self) -> float:
        """Strict micro F1, the figure `--fail-under` gates on."""
        return self.scores["strict"][MICRO].f

    def worst(self, n: int) -> list[DocResult]:
        """The `n` documents with the most errors (ties: lower strict F1 first, then id)."""
        ranked = sorted((d for d in self.docs if d.errors), key=lambda d: (-len(d.errors), d.strict.f1, d.id))
        return ranked[:n]


def align(gold: Iterable[Record], pred: Iterable[Record]) -> tuple[list[tuple[Record, Record]], list[str], list[str]]:
    """Pair records by id in gold order: (pairs, gold ids missing from pred, pred ids not in gold).

    A missing prediction becomes an empty record, so its gold spans count as missed.
    Raises EvaluateError for a duplicate id or for an id whose text differs between the files.
    """
    gold_by_id = _by_id(gold, "gold")
    pred_by_id = _by_id(pred, "predictions")
    pairs, missing = [], []
    for rid, g in gold_by_id.items():
        p = pred_by_id.get(rid)
        if p is None:
            missing.append(rid)
            p = Record(id=rid, text=g.text)
        elif p.text != g.text:
            raise EvaluateError(_text_difference(rid, g.text, p.text))
        pairs.append((g, p))
    extra = [rid for rid in pred_by_id if rid not in gold_by_id]
    if gold_by_id and pred_by_id and len(extra) == len(pred_by_id):
        raise EvaluateError(f"[E503] none of the {len(pred_by_id)} prediction ids matches a gold id (gold ids "
                            f"look like {next(iter(gold_by_id))!r}, predicted ones like {next(iter(pred_by_id))!r}); "
                            "records are matched by 'id', so both files need the same ids")
    return pairs, missing, extra


def _by_id(records: Iterable[Record], what: str) -> dict[str, Record]:
    """Records keyed by id, refusing duplicates (which would make the pairing ambiguous)."""
    out: dict[str, Record] = {}
    for r in records:
        if r.id in out:
            raise EvaluateError(f"[E501] id {r.id!r} appears twice in the {what}; "
                                "every record needs a unique 'id' to be matched")
        out[r.id] = r
    return out


def _text_difference(rid: str, gold: str, pred: str) -> str:
    """Say where two texts for one id first differ."""
    i = next((k for k, (a, b) in enumerate(zip(gold, pred, strict=False)) if a != b), min(len(gold), len(pred)))
    return (f"[E502] id {rid!r}: the predicted text differs from the gold text at offset {i} "
            f"(gold {gold[i:i + 20]!r}, predicted {pred[i:i + 20]!r}; lengths {len(gold)} and {len(pred)}). "
            "Predictions must keep the gold text unchanged; check that both files hold the same version")


def evaluate(gold: Iterable[Record], pred: Iterable[Record], labels: Sequence[str] = LABELS, *,
             bootstrap: int = 1000, seed: int = 0) -> Evaluation:
    """Score `pred` against `gold` (matched by id) on `labels`; spans with other labels are ignored.

    `bootstrap` resamples documents that many times (0 disables) with a fixed `seed` for 95% intervals.
    """
    labels = tuple(labels)
    pairs, missing, extra = align(gold, pred)
    ignored: dict[str, Counter] = {"gold": Counter(), "pred": Counter()}
    duplicates: Counter = Counter()
    docs = []
    for g, p in pairs:
        gold_spans = _keep(g.spans, labels, ignored["gold"], duplicates, "gold")
        pred_spans = _keep(p.spans, labels, ignored["pred"], duplicates, "pred")
        docs.append(score_document(g.id, g.text, gold_spans, pred_spans, labels))
    totals = {mode: {label: sum((d.counts[mode][label] for d in docs), Counts()) for label in labels}
              for mode in MODES}
    intervals = _bootstrap(docs, labels, bootstrap, seed) if bootstrap > 0 and docs else None
    scores = {mode: {key: Score(_micro(totals[mode]) if key == MICRO else totals[mode][key],
                                intervals[mode][key] if intervals else None)
                     for key in (MICRO, *labels)}
              for mode in MODES}
    matches = [m for d in docs for m in d.matches]
    return Evaluation(
        labels=labels,
        scores=scores,
        confusion=_confusion(matches, labels),
        error_counts={t: sum(m.type == t for m in matches) for t in (CORRECT, *ERROR_TYPES)},
        by_source=_by_source(matches),
        docs=tuple(docs),
        missing=tuple(missing),
        extra=tuple(extra),
        ignored={k: dict(sorted(v.items())) for k, v in ignored.items()},
        duplicates={"gold": duplicates["gold"], "pred": duplicates["pred"]},
        bootstrap={"samples": bootstrap, "seed": seed, "level": CI_LEVEL} if intervals else None,
    )


def _keep(spans: Iterable[Span], labels: tuple[str, ...], ignored: Counter, duplicates: Counter,
          side: str) -> tuple[Span, ...]:
    """Spans with a scored label, each (start, end, label) once, in text order; counts what was dropped."""
    seen: dict[tuple[int, int, str], Span] = {}
    for s in spans:
        key = (s.start, s.end, s.label)
        if s.label not in labels:
            ignored[s.label] += 1
        elif key in seen:
            duplicates[side] += 1
        else:
            seen[key] = s
    return tuple(sorted(seen.values(), key=lambda s: (s.start, s.end, s.label)))


def _micro(per_label: Mapping[str, Counts]) -> Counts:
    """Micro-average counts: every span has exactly one scored label, so micro is the sum over labels."""
    return sum(per_label.values(), Counts())


def score_document(doc_id: str, text: str, gold: Sequence[Span], pred: Sequence[Span],
                   labels: Sequence[str]) -> DocResult:
    """Counts per mode and label, and one-to-one matches, for one document's (already filtered) spans."""
    pairs = list(overlapping_pairs(gold, pred))
    gold_keys = {(s.start, s.end, s.label) for s in gold}
    pred_keys = {(s.start, s.end, s.label) for s in pred}
    gold_bounds = {(s.start, s.end) for s in gold}
    pred_bounds = {(s.start, s.end) for s in pred}
    relaxed_gold = {i for i, j in pairs if gold[i].label == pred[j].label}
    relaxed_pred = {j for i, j in pairs if gold[i].label == pred[j].label}
    found = {
        "strict": [(s.start, s.end, s.label) in pred_keys for s in gold],
        "relaxed": [i in relaxed_gold for i in range(len(gold))],
        "label_blind": [(s.start, s.end) in pred_bounds for s in gold],
    }
    correct = {
        "strict": [(s.start, s.end, s.label) in gold_keys for s in pred],
        "relaxed": [j in relaxed_pred for j in range(len(pred))],
        "label_blind": [(s.start, s.end) in gold_bounds for s in pred],
    }
    counts = {
        mode: {
            label: Counts(
                n_gold=sum(s.label == label for s in gold),
                n_pred=sum(s.label == label for s in pred),
                found=sum(hit for s, hit in zip(gold, found[mode], strict=True) if s.label == label),
                correct=sum(hit for s, hit in zip(pred, correct[mode], strict=True) if s.label == label),
            )
            for label in labels
        }
        for mode in MODES
    }
    return DocResult(doc_id, text, tuple(gold), tuple(pred), tuple(match_spans(gold, pred, pairs)), counts)


def overlapping_pairs(gold: Sequence[Span], pred: Sequence[Span]) -> Iterator[tuple[int, int]]:
    """Every (gold index, pred index) whose spans share at least one character, any labels."""
    order = sorted(range(len(pred)), key=lambda j: pred[j].start)
    starts = [pred[j].start for j in order]
    reach, furthest = [], -1  # reach[k]: the largest end among the first k+1 predictions by start
    for j in order:
        furthest = max(furthest, pred[j].end)
        reach.append(furthest)
    for i, g in enumerate(gold):
        k = bisect_left(starts, g.end) - 1  # predictions at positions <= k start before g ends
        while k >= 0 and reach[k] > g.start:  # once nothing up to k reaches past g.start, stop
            if pred[order[k]].end > g.start:
                yield i, order[k]
            k -= 1


def match_spans(gold: Sequence[Span], pred: Sequence[Span],
                pairs: Iterable[tuple[int, int]] | None = None) -> list[Match]:
    """Pair gold and predicted spans one-to-one, best pairs first, and classify every span, in text order.

    Preference: exact boundaries and label, exact boundaries only, same label and overlapping,
    overlapping only; then the larger overlap. Unpaired gold is `missed`, unpaired predictions `spurious`.
    """
    if pairs is None:
        pairs = overlapping_pairs(gold, pred)

    def rank(ij: tuple[int, int]) -> tuple:
        g, p = gold[ij[0]], pred[ij[1]]
        overlap = min(g.end, p.end) - max(g.start, p.start)
        return ((g.start, g.end) != (p.start, p.end), g.label != p.label, -overlap, g.start, p.start)

    used_gold: set[int] = set()
    used_pred: set[int] = set()
    out = []
    for i, j in sorted(pairs, key=rank):
        if i in used_gold or j in used_pred:
            continue
        used_gold.add(i)
        used_pred.add(j)
        g, p = gold[i], pred[j]
        same_bounds, same_label = (g.start, g.end) == (p.start, p.end), g.label == p.label
        kind = (CORRECT if same_label else "label") if same_bounds else ("boundary" if same_label else
                                                                         "label+boundary")
        out.append(Match(kind, g, p))
    out += [Match("missed", g, None) for i, g in enumerate(gold) if i not in used_gold]
    out += [Match("spurious", None, p) for j, p in enumerate(pred) if j not in used_pred]
    return sorted(out, key=lambda m: (m.start, m.end, m.gold is None))


def _confusion(matches: Iterable[Match], labels: Sequence[str]) -> dict[str, dict[str, int]]:
    """Gold label (or SPURIOUS) x predicted label (or MISSED) counts of the one-to-one matches."""
    table = {row: dict.fromkeys((*labels, MISSED), 0) for row in (*labels, SPURIOUS)}
    for m in matches:
        row = m.gold.label if m.gold else SPURIOUS
        col = m.pred.label if m.pred else MISSED
        table[row][col] += 1
    return table


def _by_source(matches: Iterable[Match]) -> dict[str, dict[str, int]]:
    """For each `source` of the predicted spans: how many there are and how their matches went."""
    out: dict[str, dict[str, int]] = {}
    for m in matches:
        if m.pred is None:
            continue
        row = out.setdefault(m.pred.source or "", {"n_pred": 0, CORRECT: 0,
                                                   **{t: 0 for t in ERROR_TYPES if t != "missed"}})
        row["n_pred"] += 1
        row[m.type] += 1
    return dict(sorted(out.items()))


def _bootstrap(docs: Sequence[DocResult], labels: tuple[str, ...], samples: int,
               seed: int) -> dict[str, dict[str, dict[str, tuple[float, float]]]]:
    """Percentile intervals of P/R/F1 from `samples` resamplings of the documents with replacement."""
    keys = [(mode, label) for mode in MODES for label in labels]
    per_doc = np.array([[[c.n_gold, c.n_pred, c.found, c.correct] for c in (d.counts[m][lb] for m, lb in keys)]
                        for d in docs], dtype=np.int64)  # (docs, keys, 4)
    rng = np.random.default_rng(seed)
    n = len(docs)
    chunks = []
    for done in range(0, samples, 256):  # bounded memory: a chunk is (256, docs) weights
        size = min(256, samples - done)
        picks = rng.integers(0, n, size=(size, n)) + n * np.arange(size)[:, None]
        weights = np.bincount(picks.ravel(), minlength=size * n).reshape(size, n)
        chunks.append(np.tensordot(weights, per_doc, axes=(1, 0)))
    totals = np.concatenate(chunks).reshape(samples, len(MODES), len(labels), 4)
    totals = np.concatenate([totals.sum(axis=2, keepdims=True), totals], axis=2)  # micro first
    n_gold, n_pred, found, correct = np.moveaxis(totals, -1, 0).astype(float)
    p = np.divide(correct, n_pred, out=np.zeros_like(correct), where=n_pred > 0)
    r = np.divide(found, n_gold, out=np.zeros_like(found), where=n_gold > 0)
    f = np.divide(2 * p * r, p + r, out=np.zeros_like(p), where=(p + r) > 0)
    tail = (1 - CI_LEVEL) / 2 * 100
    bounds = {name: np.percentile(v, [tail, 100 - tail], axis=0) for name, v in (("p", p), ("r", r), ("f", f))}
    return {
        mode: {
            key: {name: (float(b[0, mi, li]), float(b[1, mi, li])) for name, b in bounds.items()}
            for li, key in enumerate((MICRO, *labels))
        }
        for mi, mode in enumerate(MODES)
    }


@dataclass(frozen=True)
class Run:
    """What `kner evaluate` computed: the evaluation, each tagger's own score when the pipeline ran, warnings."""

    evaluation: Evaluation
    ablation: Mapping[str, Evaluation] | None  # "rules", "model", "combined" -> evaluation; None for PRED files
    input_warnings: tuple[str, ...]  # records skipped or fields dropped while reading the files


def run(gold_path: str, pred_path: str | None = None, *, fmt: str = "auto", labels: Sequence[str] = LABELS,
        model: str = "default", lexicons: Sequence[str] = (), bootstrap: int = 1000, seed: int = 0) -> Run:
    """Read GOLD (format `fmt`) and PRED (detected), or annotate GOLD's texts with the pipeline, and score them."""
    import warnings

    from .formats import read_records

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gold = list(read_records(gold_path, fmt))
        pred = list(read_records(pred_path)) if pred_path is not None else None
    if not gold:
        raise EvaluateError(f"[E504] {gold_path} has no readable records; nothing to evaluate against")
    ablation = None
    if pred is None:
        from .nlp import load

        systems = annotate_for_evaluation(load(model, lexicons), gold)
        pred = systems.pop("combined")
        ablation = {name: evaluate(gold, records, labels, bootstrap=0) for name, records in systems.items()}
    ev = evaluate(gold, pred, labels, bootstrap=bootstrap, seed=seed)
    if ablation is not None:
        ablation["combined"] = ev
    return Run(ev, ablation, tuple(str(w.message) for w in caught))


def annotate_for_evaluation(nlp, gold: Iterable[Record]) -> dict[str, list[Record]]:
    """Run the pipeline on the gold texts (gold spans removed) and keep the final spans and each tagger's layer.

    Returns {"combined": final records, "rules": ..., "model": ...}; a layer no document has is left out.
    """
    from .annotate import NFC_STARTS, annotate_records, map_spans
    from .layers import get_layer, layer_names

    texts = [g.with_spans(()) for g in gold]
    systems: dict[str, list[Record]] = {"combined": [], "rules": [], "model": []}
    seen: set[str] = set()
    for record, doc in annotate_records(nlp, texts):
        seen.update(layer_names(doc))
        systems["combined"].append(record)
        for layer in ("rules", "model"):
            spans = map_spans(get_layer(doc, layer), record.text, doc.user_data.get(NFC_STARTS))
            systems[layer].append(record.with_spans(spans))
    return {name: recs for name, recs in systems.items() if name == "combined" or name in seen}
