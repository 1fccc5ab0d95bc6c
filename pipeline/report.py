"""Present an Evaluation: terminal tables, a JSON document with stable keys, and an offline HTML report.

Formatting only; every figure comes from `kner.evaluate`. The JSON keys are documented in docs/evaluate.md.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

from . import __version__
from .evaluate import CORRECT, ERROR_TYPES, MICRO, MISSED, MODES, SPURIOUS, DocResult, Evaluation, Match, Score
from .plotting import KOREAN_FONTS
from .records import COLORS, Span

SCHEMA = "kner.evaluate/1"
MODE_NAMES = {"strict": "strict", "relaxed": "relaxed", "label_blind": "label-blind"}
CONTEXT = 30  # characters shown on each side of an error
OTHER_COLOUR = "#dddddd"


def warnings(ev: Evaluation) -> list[str]:
    """What the user should know about the inputs: unmatched ids, ignored labels, duplicate spans."""
    out = []
    if ev.missing:
        out.append(f"{len(ev.missing)} gold document(s) have no prediction record and count as predicting "
                   f"nothing: {_some(ev.missing)}")
    if ev.extra:
        out.append(f"{len(ev.extra)} prediction record(s) have no gold record and are ignored: {_some(ev.extra)}")
    for label in ev.labels:
        if not ev.scores["strict"][label].counts.n_gold and not ev.scores["strict"][label].counts.n_pred:
            out.append(f"no gold or predicted span has the label {label} (a typo in --labels?)")
    for side, what in (("gold", "gold"), ("pred", "predicted")):
        if ev.ignored[side]:
            counts = ", ".join(f"{label} {n:,}" for label, n in ev.ignored[side].items())
            out.append(f"{what} spans with labels outside {'/'.join(ev.labels)} are ignored: {counts}")
        if ev.duplicates[side]:
            out.append(f"{ev.duplicates[side]:,} duplicate {what} span(s) (same start, end and label) "
                       "were counted once")
    return out


def _some(ids: Sequence[str], n: int = 5) -> str:
    """A short list of ids for a message."""
    shown = ", ".join(ids[:n])
    return shown + (f" … (+{len(ids) - n} more)" if len(ids) > n else "")


# ---------------------------------------------------------------- terminal


def text_report(ev: Evaluation, ablation: Mapping[str, Evaluation] | None = None, errors: int = 0) -> str:
    """The terminal report: per-label table, micro by mode, error counts, confusion, sources, worst documents."""
    micro = ev.scores["strict"][MICRO].counts
    parts = [
        f"{len(ev.docs):,} documents, {micro.n_gold:,} gold spans, {micro.n_pred:,} predicted "
        f"(labels {', '.join(ev.labels)}; strict micro F1 is the headline)",
        _label_table(ev),
        _mode_table({MODE_NAMES[m]: ev.scores[m][MICRO] for m in MODES}, "micro", ci=True),
        _error_line(ev),
        _confusion_table(ev),
    ]
    if ablation:
        parts.append(_ablation_table(ablation))
    if any(ev.by_source):
        parts.append(_source_table(ev))
    if errors:
        parts.append(worst_text(ev, errors))
    return "\n\n".join(parts) + "\n"


def _fmt(x: float) -> str:
    return f"{x:.3f}"


def _ci(score: Score, key: str = "f") -> str:
    return f"[{score.ci[key][0]:.3f}, {score.ci[key][1]:.3f}]" if score.ci else "-"


def _grid(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-align the first column, right-align the others."""
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]
    lines = []
    for r in (header, *rows):
        cells = [str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _label_table(ev: Evaluation) -> str:
    header = ["label", "gold", "pred", "strict P", "R", "F1", "95% CI F1", "relaxed F1", "label-blind F1"]
    rows = []
    for key in (*ev.labels, MICRO):
        s = ev.scores["strict"][key]
        rows.append([key, f"{s.counts.n_gold:,}", f"{s.counts.n_pred:,}", _fmt(s.p), _fmt(s.r), _fmt(s.f), _ci(s),
                     _fmt(ev.scores["relaxed"][key].f), _fmt(ev.scores["label_blind"][key].f)])
    return _grid(header, rows)


def _mode_table(scores: Mapping[str, Score], first: str, ci: bool = False) -> str:
    header = [first, "P", "R", "F1"] + (["95% CI P", "95% CI R", "95% CI F1"] if ci else [])
    rows = [[name, _fmt(s.p), _fmt(s.r), _fmt(s.f)] + ([_ci(s, "p"), _ci(s, "r"), _ci(s, "f")] if ci else [])
            for name, s in scores.items()]
    return _grid(header, rows)


def _error_line(ev: Evaluation) -> str:
    c = ev.error_counts
    return ("errors (one-to-one matches): " + ", ".join(f"{c[t]:,} {t}" for t in ERROR_TYPES)
            + f"; {c[CORRECT]:,} correct")


def _confusion_table(ev: Evaluation) -> str:
    columns = [*ev.labels, MISSED]
    rows = [[row, *(f"{ev.confusion[row][col]:,}" for col in columns)] for row in ev.confusion]
    return "confusion (rows: gold, columns: predicted)\n" + _grid(["", *columns], rows)


def _ablation_table(ablation: Mapping[str, Evaluation]) -> str:
    header = ["system (micro)", "strict P", "R", "F1", "relaxed F1", "label-blind F1"]
    rows = []
    for name, ev in ablation.items():
        s = ev.scores["strict"][MICRO]
        rows.append([name, _fmt(s.p), _fmt(s.r), _fmt(s.f), _fmt(ev.scores["relaxed"][MICRO].f),
                     _fmt(ev.scores["label_blind"][MICRO].f)])
    return "ablation: each tagger's own layer against the same gold\n" + _grid(header, rows)


def _source_table(ev: Evaluation) -> str:
    kinds = [CORRECT, *(t for t in ERROR_TYPES if t != "missed")]
    rows = [[source or "(none)", f"{row['n_pred']:,}", *(f"{row[k]:,}" for k in kinds),
             _fmt(row[CORRECT] / row["n_pred"]) if row["n_pred"] else "-"]
            for source, row in ev.by_source.items()]
    return "predicted spans by source\n" + _grid(["source", "spans", *kinds, "strict P"], rows)


def worst_text(ev: Evaluation, n: int) -> str:
    """The `n` documents with most errors, each error with its labels, texts and context."""
    worst = ev.worst(n)
    with_errors = sum(1 for d in ev.docs if d.errors)
    lines = [f"worst documents ({len(worst)} of {with_errors} with errors)"]
    for doc in worst:
        s = doc.strict
        lines.append(f"\n{doc.id}: {_errors(len(doc.errors))} (gold {s.n_gold}, predicted {s.n_pred}, "
                     f"strict F1 {s.f1:.3f})")
        for m in doc.errors:
            lines.append(f"  {m.type:<15} {_pair_labels(m):<17} {_pair_texts(m)}")
            lines.append(f"  {'':<15} {m.start:>7}-{m.end:<9} {_context(doc.text, m.start, m.end)}")
    return "\n".join(lines)


def _errors(n: int) -> str:
    return f"{n} error" if n == 1 else f"{n} errors"


def _pair_labels(m: Match) -> str:
    return f"{m.gold.label if m.gold else '-'} -> {m.pred.label if m.pred else '-'}"


def _pair_texts(m: Match) -> str:
    gold = f"gold «{m.gold.text}»" if m.gold else ""
    pred = f"pred «{m.pred.text}»" if m.pred else ""
    return "  ".join(x for x in (gold, pred) if x)


def _flat(s: str) -> str:
    """Whitespace runs as one space, so a context fits on one line."""
    return re.sub(r"\s+", " ", s)


def _context(text: str, start: int, end: int) -> str:
    """`…left ⟦span⟧ right…` around [start, end) (brackets unusual in news, so they stand out)."""
    left, right = text[max(0, start - CONTEXT):start], text[end:end + CONTEXT]
    return f"…{_flat(left)}⟦{_flat(text[start:end])}⟧{_flat(right)}…"


# ---------------------------------------------------------------- JSON


def to_dict(ev: Evaluation, *, gold: str | None = None, pred: str | None = None,
            ablation: Mapping[str, Evaluation] | None = None, errors: int = 0) -> dict[str, Any]:
    """The `--json` document; keys are stable and documented in docs/evaluate.md."""
    return {
        "schema": SCHEMA,
        "kner_version": __version__,
        "gold": gold,
        "pred": pred,
        "labels": list(ev.labels),
        "documents": {
            "scored": len(ev.docs),
            "with_errors": sum(1 for d in ev.docs if d.errors),
            "missing_in_pred": list(ev.missing),
            "extra_in_pred": list(ev.extra),
        },
        "ignored_spans": {side: dict(v) for side, v in ev.ignored.items()},
        "duplicate_spans": dict(ev.duplicates),
        "bootstrap": dict(ev.bootstrap) if ev.bootstrap else None,
        "scores": _scores_dict(ev),
        "errors": dict(ev.error_counts),
        "confusion": {
            "rows": [*ev.labels, SPURIOUS],
            "columns": [*ev.labels, MISSED],
            "counts": {row: dict(cols) for row, cols in ev.confusion.items()},
        },
        "by_source": {source: dict(row) for source, row in ev.by_source.items()},
        "ablation": {name: {mode: _score_dict(a.scores[mode][MICRO]) for mode in MODES}
                     for name, a in ablation.items()} if ablation else None,
        "worst_documents": [_doc_dict(d) for d in ev.worst(errors)],
        "warnings": warnings(ev),
    }


def _scores_dict(ev: Evaluation) -> dict[str, dict[str, dict[str, Any]]]:
    return {mode: {key: _score_dict(s) for key, s in ev.scores[mode].items()} for mode in MODES}


def _score_dict(s: Score) -> dict[str, Any]:
    c = s.counts
    return {
        "p": round(s.p, 4), "r": round(s.r, 4), "f": round(s.f, 4),
        "n_gold": c.n_gold, "n_pred": c.n_pred, "found": c.found, "correct": c.correct,
        "ci": {k: [round(lo, 4), round(hi, 4)] for k, (lo, hi) in s.ci.items()} if s.ci else None,
    }


def _span_dict(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else span.to_dict("brief")


def _doc_dict(doc: DocResult) -> dict[str, Any]:
    s = doc.strict
    return {
        "id": doc.id,
        "n_gold": s.n_gold,
        "n_pred": s.n_pred,
        "strict": {"p": round(s.precision, 4), "r": round(s.recall, 4), "f": round(s.f1, 4)},
        "errors": [{"type": m.type, "gold": _span_dict(m.gold), "pred": _span_dict(m.pred)} for m in doc.errors],
    }


# ---------------------------------------------------------------- HTML

# The Korean fonts Linux (fonts-noto-cjk, fonts-nanum), macOS and Windows ship (kner.plotting names them), before
# the system font so Hangul never takes a Chinese or Japanese face; both HTML reports use this stack.
FONTS = ",".join([*(f'"{name}"' for name in KOREAN_FONTS), "system-ui", "-apple-system", "sans-serif"])
CSS = "body{font-family:" + FONTS + """;margin:2em auto;max-width:1100px;
color:#222;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5em 0}td,th{padding:.25em .6em;text-align:right;border-bottom:1px solid #eee}
td:first-child,th:first-child{text-align:left}th{background:#f6f6f6}
.warn{background:#fff4e5;border-left:4px solid #f0a020;padding:.4em .8em;margin:.3em 0}
.heat td{border:1px solid #fff;min-width:4em;text-align:center}
.snippet{line-height:2.6;padding:.6em .9em;margin:.4em 0 1em;background:#fafafa;border:1px solid #eee;
border-radius:4px}
.ent{padding:.3em .15em;border-radius:0}.ent.first{border-top-left-radius:.35em;border-bottom-left-radius:.35em}
.ent.last{border-top-right-radius:.35em;border-bottom-right-radius:.35em}
.gold{border-bottom:3px solid var(--g);padding-bottom:1px}
.focus{outline:2px dashed #d33;outline-offset:1px}
.tag{font-size:.62em;font-weight:bold;text-transform:uppercase;margin-left:.35em;vertical-align:middle}
.gtag{font-size:.6em;font-weight:bold;color:#555;vertical-align:sub;margin-left:.15em}
.err{font-size:.85em;margin:.1em 0}.kind{display:inline-block;min-width:8.5em;font-weight:bold;color:#b22}
.legend span{margin-right:1.2em}
"""


def to_html(ev: Evaluation, *, gold: str | None = None, pred: str | None = None,
            ablation: Mapping[str, Evaluation] | None = None, errors: int = 20) -> str:
    """A self-contained HTML report (inline CSS and SVG, no scripts or external files)."""
    micro = ev.scores["strict"][MICRO]
    title = f"kner evaluate: {html.escape(gold or 'gold')} vs {html.escape(pred or 'pipeline')}"
    body = [
        f"<h1>{title}</h1>",
        f"<p>{len(ev.docs):,} documents · {micro.counts.n_gold:,} gold spans · {micro.counts.n_pred:,} predicted · "
        f"labels {html.escape(', '.join(ev.labels))} · kner {__version__}. "
        f"Headline: <b>strict micro F1 {micro.f:.3f}</b> {html.escape(_ci(micro))}"
        + (f" (95% bootstrap interval over documents, {ev.bootstrap['samples']:,} samples, "
           f"seed {ev.bootstrap['seed']})" if ev.bootstrap else "") + ".</p>",
        *(f'<div class="warn">{html.escape(w)}</div>' for w in warnings(ev)),
        "<h2>Scores</h2>", _html_scores(ev),
        "<h2>Per-label charts</h2>",
        _bar_chart(ev, [("precision", "strict", "p"), ("recall", "strict", "r"), ("F1", "strict", "f")],
                   "strict precision, recall and F1"),
        _bar_chart(ev, [(MODE_NAMES[m] + " F1", m, "f") for m in MODES], "F1 by scoring mode"),
        "<h2>Confusion</h2>", _html_confusion(ev),
        f"<p>{html.escape(_error_line(ev))}</p>",
    ]
    if ablation:
        body += ["<h2>Ablation</h2>", _html_ablation(ablation)]
    if any(ev.by_source):
        body += ["<h2>Predicted spans by source</h2>", _html_sources(ev)]
    body += ["<h2>Errors in context</h2>", _html_errors(ev, errors)]
    return ("<!DOCTYPE html>\n<html lang=\"ko\"><head><meta charset=\"utf-8\">"
            f"<title>{title}</title><style>{CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def html_table(header: Sequence[str], rows: Sequence[Sequence[str]], cls: str = "") -> str:
    """A table from already-escaped cells (`cls`: its CSS class)."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table{f' class={cls!r}' if cls else ''}><tr>{head}</tr>{body}</table>"


def _html_scores(ev: Evaluation) -> str:
    header = ["", "gold", "pred"] + [f"{MODE_NAMES[m]} {x}" for m in MODES for x in ("P", "R", "F1")]
    header.append("95% CI strict F1")
    rows = []
    for key in (*ev.labels, MICRO):
        s = ev.scores["strict"][key]
        cells = [f"<b>{html.escape(key)}</b>", f"{s.counts.n_gold:,}", f"{s.counts.n_pred:,}"]
        cells += [_fmt(v) for m in MODES for v in (ev.scores[m][key].p, ev.scores[m][key].r, ev.scores[m][key].f)]
        rows.append(cells + [_ci(s)])
    return html_table(header, rows)


def _bar_chart(ev: Evaluation, series: Sequence[tuple[str, str, str]], caption: str) -> str:
    """Grouped SVG bars, one group per label plus micro, with bootstrap whiskers where available."""
    colours = ["#4c78a8", "#f58518", "#54a24b"]
    groups = [*ev.labels, MICRO]
    bar, gap, height, top, left = 22, 28, 200, 20, 40
    group_w = bar * len(series) + gap
    width = left + group_w * len(groups) + 10
    y = lambda v: top + height * (1 - v)  # noqa: E731
    parts = [f'<svg width="{width}" height="{top + height + 60}" '
             f'role="img" aria-label="{html.escape(caption)}" font-size="11">']
    for tick in (0, 0.25, 0.5, 0.75, 1):
        parts.append(f'<line x1="{left}" x2="{width}" y1="{y(tick)}" y2="{y(tick)}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{y(tick) + 4}" text-anchor="end">{tick:g}</text>')
    for gi, key in enumerate(groups):
        x0 = left + gi * group_w + gap / 2
        for si, (name, mode, stat) in enumerate(series):
            score = ev.scores[mode][key]
            v = getattr(score, stat)
            x = x0 + si * bar
            parts.append(f'<rect x="{x}" y="{y(v)}" width="{bar - 3}" height="{height * v}" fill="{colours[si]}">'
                         f"<title>{html.escape(f'{key} {name}: {v:.3f} {_ci(score, stat)}')}</title></rect>")
            if score.ci:
                lo, hi = score.ci[stat]
                cx = x + (bar - 3) / 2
                parts.append(f'<line x1="{cx}" x2="{cx}" y1="{y(hi)}" y2="{y(lo)}" stroke="#222"/>')
        parts.append(f'<text x="{x0 + bar * len(series) / 2}" y="{top + height + 16}" '
                     f'text-anchor="middle">{html.escape(key)}</text>')
    lx = left
    for si, (name, _, _) in enumerate(series):
        parts.append(f'<rect x="{lx}" y="{top + height + 32}" width="10" height="10" fill="{colours[si]}"/>'
                     f'<text x="{lx + 14}" y="{top + height + 41}">{html.escape(name)}</text>')
        lx += 30 + 7 * len(name)
    parts.append("</svg>")
    return f"<figure>{''.join(parts)}<figcaption>{html.escape(caption)}; whiskers: 95% CI</figcaption></figure>"


def _html_confusion(ev: Evaluation) -> str:
    """Confusion table as a heatmap: green diagonal (same label), red errors, each shaded against its own peak."""
    columns = [*ev.labels, MISSED]
    counts = [(row == col, n) for row, cols in ev.confusion.items() for col, n in cols.items()]
    peak = {diagonal: max([n for d, n in counts if d == diagonal] + [1]) for diagonal in (True, False)}
    head = "".join(f"<th>{html.escape(c)}</th>" for c in ["gold \\ predicted", *columns])
    rows = []
    for row, cols in ev.confusion.items():
        cells = []
        for col in columns:
            n = cols[col]
            rgb = "84,162,75" if row == col else "214,39,40"
            alpha = 0.1 + 0.75 * n / peak[row == col] if n else 0.0
            cells.append(f'<td style="background:rgba({rgb},{alpha:.2f})" '
                         f'title="gold {html.escape(row)}, predicted {html.escape(col)}">{n:,}</td>')
        rows.append(f"<tr><th>{html.escape(row)}</th>{''.join(cells)}</tr>")
    return f'<table class="heat"><tr>{head}</tr>{"".join(rows)}</table>'


def _html_ablation(ablation: Mapping[str, Evaluation]) -> str:
    header = ["system (micro)", "strict P", "strict R", "strict F1", "relaxed F1", "label-blind F1"]
    rows = [[html.escape(name), _fmt(a.scores["strict"][MICRO].p), _fmt(a.scores["strict"][MICRO].r),
             _fmt(a.scores["strict"][MICRO].f), _fmt(a.scores["relaxed"][MICRO].f),
             _fmt(a.scores["label_blind"][MICRO].f)] for name, a in ablation.items()]
    return html_table(header, rows)


def _html_sources(ev: Evaluation) -> str:
    kinds = [CORRECT, *(t for t in ERROR_TYPES if t != "missed")]
    rows = [[html.escape(source or "(none)"), f"{row['n_pred']:,}", *(f"{row[k]:,}" for k in kinds),
             _fmt(row[CORRECT] / row["n_pred"]) if row["n_pred"] else "-"]
            for source, row in ev.by_source.items()]
    return html_table(["source", "spans", *kinds, "strict P"], rows)


def colour(label: str) -> str:
    """A label's highlight colour, as `render` draws it (grey for labels it has no colour for)."""
    return COLORS.get(label, OTHER_COLOUR)


def _html_errors(ev: Evaluation, n: int) -> str:
    """The `n` worst documents, each error shown with its neighbourhood, displaCy style."""
    worst = ev.worst(n)
    if not worst:
        return "<p>No errors.</p>"
    legend = "".join(
        f'<span><mark class="ent first last" style="background:{colour(lb)}">{html.escape(lb)}'
        f'<span class="tag">{html.escape(lb)}</span></mark> predicted '
        f'<span class="gold" style="--g:{colour(lb)}">{html.escape(lb)}</span> gold</span>'
        for lb in ev.labels)
    with_errors = sum(1 for d in ev.docs if d.errors)
    out = [f'<p class="legend">{legend}<span class="focus">dashed</span> the error listed above the snippet</p>',
           f"<p>{len(worst)} of {with_errors} documents with errors, most errors first.</p>"]
    for doc in worst:
        s = doc.strict
        out.append(f"<details open><summary><b>{html.escape(doc.id)}</b>: {_errors(len(doc.errors))} "
                   f"(gold {s.n_gold}, predicted {s.n_pred}, strict F1 {s.f1:.3f})</summary>")
        for lo, hi, group in _windows(doc):
            out += [_html_error_line(m) for m in group]
            out.append(f'<div class="snippet">{_render(doc, lo, hi, group)}</div>')
        out.append("</details>")
    return "\n".join(out)


def _html_error_line(m: Match) -> str:
    gold = f"gold {html.escape(m.gold.label)} «{html.escape(m.gold.text)}»" if m.gold else "no gold span"
    pred = f"predicted {html.escape(m.pred.label)} «{html.escape(m.pred.text)}»" if m.pred else "no prediction"
    return f'<div class="err"><span class="kind">{html.escape(m.type)}</span>{gold} → {pred} [{m.start}, {m.end})</div>'


def _windows(doc: DocResult) -> list[tuple[int, int, list[Match]]]:
    """Context windows around the errors, merged when they overlap and widened so no span is cut."""
    spans = [*doc.gold, *doc.pred]
    out: list[tuple[int, int, list[Match]]] = []
    for m in doc.errors:
        lo, hi = max(0, m.start - CONTEXT), min(len(doc.text), m.end + CONTEXT)
        lo = min([lo, *(s.start for s in spans if s.start < lo < s.end)])
        hi = max([hi, *(s.end for s in spans if s.start < hi < s.end)])
        if out and lo <= out[-1][1]:
            prev_lo, prev_hi, group = out[-1]
            out[-1] = (prev_lo, max(prev_hi, hi), [*group, m])
        else:
            out.append((lo, hi, [m]))
    return out


def _render(doc: DocResult, lo: int, hi: int, focus: Sequence[Match]) -> str:
    """Text [lo, hi) with predicted spans as coloured marks and gold spans underlined; errors outlined."""
    focused = {id(s) for m in focus for s in (m.gold, m.pred) if s is not None}
    gold = [s for s in doc.gold if s.start < hi and s.end > lo]
    pred = [s for s in doc.pred if s.start < hi and s.end > lo]
    cuts = sorted({lo, hi, *(x for s in gold + pred for x in (s.start, s.end) if lo < x < hi)})
    out = ["…" if lo > 0 else ""]
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = html.escape(doc.text[a:b])
        p = next((s for s in pred if s.start <= a and b <= s.end), None)
        g = next((s for s in gold if s.start <= a and b <= s.end), None)
        if p is not None:
            classes = "ent" + (" first" if a == p.start else "") + (" last" if b == p.end else "")
            classes += " focus" if id(p) in focused else ""
            tag = f'<span class="tag">{html.escape(p.label)}</span>' if b == p.end else ""
            piece = f'<mark class="{classes}" style="background:{colour(p.label)}">{piece}{tag}</mark>'
        if g is not None:
            classes = "gold" + (" focus" if id(g) in focused and p is None else "")
            tag = f'<span class="gtag">{html.escape(g.label)}</span>' if b == g.end else ""
            piece = f'<span class="{classes}" style="--g:{colour(g.label)}">{piece}</span>{tag}'
        out.append(piece)
    out.append("…" if hi < len(doc.text) else "")
    return "".join(out)
