"""`kner report`: one self-contained HTML overview of an annotated archive (who, what, where, with whom), to share.

Python counts everything over the whole archive (`Overview`); the page embeds the counts and the articles once
as JSON (past `max_articles`, a deterministic sample of them) and overview.js renders tables and articles lazily,
with no network and no external files. The evaluation report's colours and CSS are reused (`kner.report`).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import heapq
import html
import json
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from itertools import combinations
from pathlib import Path
from typing import Any

from . import __version__
from .canonical import NO_PROVINCE, NOISE, ProvinceFinder, name_key
from .frames import Article, PathLike, iter_articles, resolve_paths
from .records import LABELS
from .report import CSS, colour, html_table

DEFAULT_MAX_ARTICLES = 20_000
TOP_PAIRS = 30  # rows per pair table
PAIR_KINDS = (("ORG", "PROGRAM"), ("ORG", "ORG"))
DATE = re.compile(r"(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})")
SPAN_INTS = 6  # a sampled span in the page: start, end, entity, source, score per mille (-1: none), canonical (-1)


def day(value: Any) -> str | None:
    """`meta.date` as YYYY-MM-DD (from 2024-10-30, 2024/10/30 20:28, 2024.10.30 or 2024년 10월 30일), else None."""
    m = DATE.search(str(value)) if value is not None else None
    return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" if m else None


def sample_rank(doc_id: str) -> int:
    """A hash of the article id: the sample keeps the smallest, so one archive always gives the same sample."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8).digest(), "big")


class Tally:
    """Mentions (or sentences) and distinct articles; articles arrive in order, so the last one seen suffices."""

    __slots__ = ("n", "articles", "last")

    def __init__(self) -> None:
        self.n, self.articles, self.last = 0, 0, -1

    def add(self, article: int) -> None:
        self.n += 1
        if article != self.last:
            self.articles += 1
            self.last = article


EntityKey = tuple[str, str]  # (label, name_key)


@dataclass
class Entity:
    """One canonical name under one label: how often, in how many articles, and how it was written."""

    label: str
    tally: Tally = field(default_factory=Tally)
    forms: Counter = field(default_factory=Counter)  # surface text -> mentions
    canonicals: Counter = field(default_factory=Counter)  # span `canonical` -> mentions

    @property
    def name(self) -> str:
        """The most frequent `canonical`, or the most frequent surface when no span had one."""
        return (self.canonicals or self.forms).most_common(1)[0][0]


@dataclass
class Overview:
    """Counts over a whole archive, plus the articles the page's browser holds (all, or a sample past the limit)."""

    max_articles: int = DEFAULT_MAX_ARTICLES
    provinces: ProvinceFinder = field(default_factory=ProvinceFinder.from_lexicon)
    inputs: list[str] = field(default_factory=list)
    n_articles: int = 0
    n_spans: int = 0
    without_sentences: int = 0  # articles with spans but no sentence boundaries: left out of the pair counts
    by_label_source: defaultdict = field(default_factory=lambda: defaultdict(Counter))
    models: Counter = field(default_factory=Counter)
    days: Counter = field(default_factory=Counter)
    entities: dict[EntityKey, Entity] = field(default_factory=dict)
    province_label: defaultdict = field(default_factory=lambda: defaultdict(Tally))  # (province, label) -> Tally
    pairs: dict[tuple[str, str], defaultdict] = field(
        default_factory=lambda: {kind: defaultdict(Tally) for kind in PAIR_KINDS})  # (key, key) -> sentences
    _sample: list = field(default_factory=list)  # heap of (-rank, -ordinal, article payload)

    def add(self, article: Article) -> None:
        """Count one article and offer it to the sample."""
        ordinal = self.n_articles
        self.n_articles += 1
        cols = article.spans
        spans = []
        for start, end, label, surface, source, score, canonical, region in zip(
                cols["start"], cols["end"], cols["label"], cols["text"], cols["source"], cols["score"],
                cols["canonical"], cols["region"], strict=True):
            canonical = canonical if isinstance(canonical, str) and canonical else None  # optional, unchecked keys
            region = region if isinstance(region, str) and region else None
            key = (label, name_key(canonical or surface))
            entity = self.entities.get(key)
            if entity is None:
                entity = self.entities[key] = Entity(label)
            entity.tally.add(ordinal)
            entity.forms[surface] += 1
            if canonical:
                entity.canonicals[canonical] += 1
            self.by_label_source[label][source] += 1
            self.province_label[self.provinces(region, canonical, surface), label].add(ordinal)
            spans.append((start, end, key, source, score, canonical))
        self.n_spans += len(spans)
        self._count_pairs(article, spans, ordinal)
        made_by = article.kner or {}
        self.models[f"{made_by.get('model', '?')} (kner {made_by.get('version', '?')})" if made_by else ""] += 1
        date = day(article.meta.get("date"))
        self.days[date] += 1
        spans.sort(key=lambda s: (s[0], s[1]))
        item = (-sample_rank(article.id), -ordinal, (ordinal, article.id, article.text, date, spans))
        if len(self._sample) < self.max_articles:
            heapq.heappush(self._sample, item)
        elif self.max_articles and item[:2] > self._sample[0][:2]:
            heapq.heapreplace(self._sample, item)

    def _count_pairs(self, article: Article, spans: list[tuple], ordinal: int) -> None:
        """ORG–PROGRAM and ORG–ORG pairs of distinct names within one sentence, counted once per sentence."""
        if not spans:
            return
        if not article.sentences:
            self.without_sentences += 1
            return
        starts = [s for s, _ in article.sentences]
        by_sentence: defaultdict[int, set[EntityKey]] = defaultdict(set)
        for start, _, key, *_ in spans:
            i = bisect_right(starts, start) - 1
            if i >= 0 and start < article.sentences[i][1]:  # a span outside every sentence pairs with nothing
                by_sentence[i].add(key)
        for keys in by_sentence.values():
            named = {label: sorted(k for k in keys if k[0] == label) for label in ("ORG", "PROGRAM")}
            for a, b in (*((o, p) for o in named["ORG"] for p in named["PROGRAM"]),
                         *combinations(named["ORG"], 2)):
                self.pairs[a[0], b[0]][a, b].add(ordinal)

    @property
    def sampled(self) -> list[tuple]:
        """The browser's articles, in archive order: (ordinal, id, text, date, spans)."""
        return sorted(item[2] for item in self._sample)

    @property
    def n_sampled(self) -> int:
        """How many articles the browser holds."""
        return len(self._sample)

    @property
    def labels(self) -> list[str]:
        """ORG, LOC, PROGRAM, then any other label found."""
        return [*LABELS, *sorted(set(self.by_label_source) - set(LABELS))]

    def top_entities(self, label: str | None = None) -> list[tuple[EntityKey, Entity]]:
        """Entities by mentions, then articles, then name (all labels, or one)."""
        found = [(k, e) for k, e in self.entities.items() if label is None or k[0] == label]
        return sorted(found, key=lambda ke: (-ke[1].tally.n, -ke[1].tally.articles, ke[1].name))

    def entity_index(self, ranked: list[tuple[EntityKey, Entity]] | None = None) -> dict[EntityKey, int]:
        """Each entity's position in `top_entities()`: how the page refers to it."""
        return {key: i for i, (key, _) in enumerate(ranked or self.top_entities())}

    def top_pairs(self, kind: tuple[str, str], n: int = TOP_PAIRS) -> list[tuple[EntityKey, EntityKey, Tally]]:
        """The `n` pairs named together in most sentences."""
        pairs = sorted(self.pairs[kind].items(), key=lambda kv: (-kv[1].n, -kv[1].articles, kv[0]))
        return [(a, b, t) for (a, b), t in pairs[:n]]

    def province_table(self) -> list[tuple[str, dict[str, Tally]]]:
        """Provinces by mentions (the no-province row last), each with a Tally per label."""
        rows: defaultdict[str, dict[str, Tally]] = defaultdict(dict)
        for (province, label), tally in self.province_label.items():
            rows[province][label] = tally
        total = {p: sum(t.n for t in cells.values()) for p, cells in rows.items()}
        return sorted(rows.items(), key=lambda pc: (pc[0] == NO_PROVINCE, -total[pc[0]], pc[0]))

    def date_range(self) -> tuple[str, str, int] | None:
        """First and last day of `meta.date`, and how many articles had one."""
        dated = [d for d in self.days if d]
        return (min(dated), max(dated), self.n_articles - self.days[None]) if dated else None

    def to_data(self) -> dict[str, Any]:
        """What the page's script reads: labels, entities (all) and the browser's articles, as compact lists.

        entities: [label index, name, articles, mentions, [[other surface form, mentions], ...]] by mentions;
        docs: [id, text, date or "", spans as SPAN_INTS ints each]; sources and canonical names are indexed.
        """
        labels = self.labels
        ranked = self.top_entities()
        index = self.entity_index(ranked)
        sources: dict[str, int] = {}
        canonicals: dict[str, int] = {}
        docs = []
        for _, doc_id, text, date, spans in self.sampled:
            flat: list[int] = []
            for start, end, key, source, score, canonical in spans:
                flat += [start, end, index[key], sources.setdefault(source, len(sources)),
                         -1 if score is None else round(score * 1000),
                         -1 if not canonical else canonicals.setdefault(canonical, len(canonicals))]
            docs.append([doc_id, text, date or "", flat])
        return {
            "version": 1,
            "labels": labels,
            "colors": {label: colour(label) for label in labels},
            "noise": NOISE.pattern,
            "articles": self.n_articles,
            "entities": [[labels.index(key[0]), e.name, e.tally.articles, e.tally.n, _other_forms(e)]
                         for key, e in ranked],
            "sources": list(sources),
            "canonicals": list(canonicals),
            "docs": docs,
        }


def _other_forms(entity: Entity, n: int = 5) -> list[list[Any]]:
    """Up to `n` surface forms other than the entity's name, most frequent first."""
    return [[form, count] for form, count in entity.forms.most_common(n + 1) if form != entity.name][:n]


def build(path_or_paths: PathLike | Iterable[PathLike], *, max_articles: int = DEFAULT_MAX_ARTICLES,
          errors: str = "raise") -> Overview:
    """Count one or more annotated JSONL files (paths or globs, as `load_annotations` takes them)."""
    if max_articles < 0:
        raise ValueError(f"max_articles must be 0 or more, got {max_articles}")
    paths = resolve_paths(path_or_paths)
    overview = Overview(max_articles=max_articles, inputs=[str(p) for p in paths])
    for article in iter_articles(paths, errors):
        overview.add(article)
    return overview


# ---------------------------------------------------------------- HTML

OVERVIEW_CSS = """
body{max-width:1400px}nav a{margin-right:1em}.lead{font-size:1.05em}.muted{color:#666;font-size:.9em}
.tabs button,.pager button{margin:0 .3em .4em 0;padding:.3em .8em;border:1px solid #ccc;background:#fff;cursor:pointer;
border-radius:4px;font:inherit}.tabs button.on{border-color:#333;font-weight:bold}
.swatch{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.3em;vertical-align:baseline}
input[type=search],select{font:inherit;padding:.3em .5em;margin:0 .5em .5em 0;min-width:16em}
.grid{display:grid;grid-template-columns:minmax(18em,2fr) 3fr;gap:1.5em;align-items:start}.grid>div{min-width:0}
#kwic{overflow-x:auto}#doc-text{max-height:40em;overflow:auto;margin-top:0}
.scroll{max-height:36em;overflow:auto;border:1px solid #eee}
table.rows tr[data-e]:hover,table.rows tr[data-e].on{background:#f0f6ff;cursor:pointer}
th.sort{cursor:pointer;user-select:none}.scroll th{position:sticky;top:0}
.kwic>div{display:grid;grid-template-columns:11em 1fr auto 1fr;gap:.4em;white-space:nowrap;font-size:.92em;
padding:.15em 0;border-bottom:1px solid #eee}.kwic>div>*{overflow:hidden;text-overflow:ellipsis}
.kwic .left{text-align:right;direction:rtl}.kwic .left span{direction:ltr;unicode-bidi:embed}
.kwic mark{padding:0 .15em;border-radius:.3em}
ul.docs{list-style:none;margin:0;padding:0}ul.docs li{padding:.35em .5em;border-bottom:1px solid #eee;cursor:pointer}
ul.docs li:hover,ul.docs li.on{background:#f0f6ff}ul.docs .id{font-weight:bold;margin-right:.5em}
.badge{display:inline-block;font-size:.75em;padding:0 .35em;border-radius:.3em;margin-left:.3em}
.doc{white-space:pre-wrap;line-height:2.4}.doc mark{cursor:pointer}
.chip{display:inline-block;background:#eef;border:1px solid #99c;border-radius:1em;padding:0 .6em;margin-right:.4em}
.chip button{border:0;background:none;cursor:pointer;font:inherit;padding:0 0 0 .3em}
.pairs td:nth-child(2){text-align:left}
a[data-e],a[data-pair],a[data-doc]{color:#1a55a8;cursor:pointer;text-decoration:none}
#doc-view h3{margin:.2em 0}
"""


def to_html(overview: Overview, *, title: str | None = None, compress: bool = True) -> str:
    """The page: static summary, province and pair tables, then the embedded data and the script that renders it."""
    data = overview.to_data()
    index = overview.entity_index()
    title = title or "kner report: " + ", ".join(Path(p).name for p in overview.inputs[:3]) + (
        f" (+{len(overview.inputs) - 3} files)" if len(overview.inputs) > 3 else "")
    body = [
        f"<h1>{html.escape(title)}</h1>",
        '<nav><a href="#summary">Summary</a><a href="#entities">Names</a><a href="#provinces">Provinces</a>'
        '<a href="#pairs">Pairs</a><a href="#articles">Articles</a></nav>',
        _summary(overview),
        '<section id="entities"><h2>Organisations, places and programmes</h2>'
        '<p class="muted">Counted by canonical name: a span\'s <code>canonical</code> when the tagger gave one, '
        "else its text with spaces, middle dots and brackets ignored. Click a name to see its mentions in "
        'context.</p><div id="ent-tabs" class="tabs"></div><input type="search" id="ent-search" '
        'placeholder="Search names"><div class="grid"><div><div id="ent-count" class="muted"></div>'
        '<div class="scroll"><table id="ent-table" class="rows"></table></div><div class="pager" id="ent-more">'
        '</div></div><div id="kwic"><p class="muted">Choose a name.</p></div></div></section>',
        _provinces(overview),
        _pairs(overview, index),
        '<section id="articles"><h2>Articles</h2><div><input type="search" id="doc-search" '
        'placeholder="Text or name"><select id="doc-label"><option value="-1">any label</option></select>'
        '<span id="doc-chips"></span></div><div class="grid"><div><div id="doc-count" class="muted"></div>'
        '<div class="scroll"><ul id="doc-list" class="docs"></ul></div><div class="pager" id="doc-more"></div>'
        '</div><div id="doc-view"><p class="muted">Choose an article.</p></div></div></section>',
        "<noscript><p class=\"warn\">The name tables and the article browser need JavaScript.</p></noscript>",
        _embed(data, compress),
        f"<script>{files(__package__).joinpath('overview.js').read_text(encoding='utf-8')}</script>",
    ]
    csp = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:")
    return ("<!DOCTYPE html>\n<html lang=\"ko\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{CSS}{OVERVIEW_CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def _embed(data: dict[str, Any], compress: bool) -> str:
    """The data once, as JSON in a non-executed script element; gzip + base64 halves Korean text.

    Level 5: 28.5 MB of JSON (10,000 articles) in 1.1 s of CPU to 12.2 MB; level 6 saves 0.3 MB for 0.7 s more.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    if compress:
        payload = base64.b64encode(gzip.compress(text.encode("utf-8"), compresslevel=5, mtime=0)).decode("ascii")
        return f'<script type="application/json" id="kner-data" data-encoding="gzip-base64">{payload}</script>'
    text = text.replace("<", "\\u003c")  # no </script> or <!-- can end the element early
    return f'<script type="application/json" id="kner-data" data-encoding="json">{text}</script>'


def _summary(o: Overview) -> str:
    """Articles, spans per label and source, date range, the models that made the file, the sample note."""
    labels = o.labels
    sources = sorted({s for c in o.by_label_source.values() for s in c})
    per_label = ", ".join(f"{label} {sum(o.by_label_source[label].values()):,}" for label in labels)
    facts = [f"<b>{o.n_articles:,}</b> articles", f"<b>{o.n_spans:,}</b> spans ({per_label})"]
    dates = o.date_range()
    if dates:
        first, last, dated = dates
        facts.append(f"dated {first} to {last}" + (f" ({dated:,} of {o.n_articles:,} articles have a "
                                                  "<code>meta.date</code>)" if dated < o.n_articles else ""))
    models = ", ".join(html.escape(m or "no kner field") + (f" ({_count(n, 'article')})" if len(o.models) > 1 else "")
                       for m, n in o.models.most_common())
    facts.append(f"made by {models or 'nothing (empty archive)'}")
    rows = [[f"<b>{html.escape(label)}</b>", *(f"{o.by_label_source[label][s]:,}" for s in sources),
             f"{sum(o.by_label_source[label].values()):,}"] for label in labels]
    out = ['<section id="summary"><h2>Summary</h2>', f'<p class="lead">{" · ".join(facts)}.</p>']
    if o.n_sampled < o.n_articles:
        out.append(f'<div class="warn" id="sample-note">The article browser and the mentions in context hold a '
                   f"sample of {o.n_sampled:,} of the {o.n_articles:,} articles (more than --max-articles "
                   f"{o.max_articles:,}; chosen by a hash of the article id, so the same archive always gives the "
                   "same sample). Every count and table counts all articles.</div>")
    out.append(html_table(["spans", *(html.escape(s or "(none)") for s in sources), "total"], rows))
    out.append(f'<p class="muted">Read from {", ".join(html.escape(p) for p in o.inputs)}; report by kner '
               f"{__version__}.</p></section>")
    return "\n".join(out)


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _heat(label: str, n: int, peak: int) -> str:
    """A cell background in the label's colour, stronger with more mentions."""
    if not n:
        return ""
    hexa = colour(label).lstrip("#")
    r, g, b = (int(hexa[i:i + 2], 16) for i in (0, 2, 4))
    return f' style="background:rgba({r},{g},{b},{0.15 + 0.85 * n / peak:.2f})"'


def _provinces(o: Overview) -> str:
    """Province × label: mentions in each cell, articles on hover."""
    labels = o.labels
    table = o.province_table()
    peak = {label: max([cells[label].n for _, cells in table if label in cells] + [1]) for label in labels}
    head = "".join(f"<th>{html.escape(h)}</th>" for h in ["province", *labels, "total"])
    rows = []
    for province, cells in table:
        tds = []
        for label in labels:
            t = cells.get(label)
            n, articles = (t.n, t.articles) if t else (0, 0)
            tds.append(f'<td{_heat(label, n, peak[label])} title="{_count(articles, "article")}">{n:,}</td>')
        name = html.escape(province) if province != NO_PROVINCE else "<i>no province found</i>"
        rows.append(f"<tr><th>{name}</th>{''.join(tds)}<td>{sum(t.n for t in cells.values()):,}</td></tr>")
    return ('<section id="provinces"><h2>Provinces × labels</h2><p class="muted">Mentions per province (hover for '
            "articles): ORG mostly the provincial and local governments acting, LOC places in the province, PROGRAM "
            "programmes named after one. The province is the span's <code>region</code> when set, else the local "
            "government of the built-in admin lexicon that the name is, or starts with (청주 그랜드플라자 호텔 → "
            "충청북도).</p>"
            f'<table class="heat" id="province-table"><tr>{head}</tr>{"".join(rows)}</table></section>')


def _pairs(o: Overview, index: dict[EntityKey, int]) -> str:
    """The most frequent ORG–PROGRAM and ORG–ORG pairs within a sentence."""
    out = ['<section id="pairs"><h2>Named together</h2><p class="muted">Distinct names in the same sentence, '
           "counted once per sentence. Click a name for its mentions, or a count for the articles naming both.</p>"]
    if o.without_sentences:
        out.append(f'<div class="warn">{o.without_sentences:,} articles have no sentence boundaries '
                   "(<code>sentences</code>) and are left out of these counts.</div>")
    for kind in PAIR_KINDS:
        pairs = o.top_pairs(kind)
        out.append(f"<h3>{' – '.join(kind)}</h3>")
        if not pairs:
            out.append("<p>No sentence names both.</p>")
            continue
        rows = [[_name_link(o, a, index), _name_link(o, b, index),
                 f'<a data-pair="{index[a]},{index[b]}">{t.n:,}</a>', f"{t.articles:,}"] for a, b, t in pairs]
        out.append(html_table([*kind, "sentences", "articles"], rows, cls="pairs"))
    out.append("</section>")
    return "\n".join(out)


def _name_link(o: Overview, key: EntityKey, index: dict[EntityKey, int]) -> str:
    return f'<a data-e="{index[key]}">{html.escape(o.entities[key].name)}</a>'


def write_report(path_or_paths: PathLike | Iterable[PathLike], output: PathLike, *,
                 max_articles: int = DEFAULT_MAX_ARTICLES, title: str | None = None, errors: str = "raise",
                 compress: bool = True) -> Overview:
    """Write the overview of annotated JSONL file(s) to `output` (one HTML file) and return the counts.

    Past `max_articles` articles the browser holds a deterministic sample; the tables count everything.
    `errors="skip"` skips malformed lines with a SkipWarning instead of raising RecordError.
    """
    overview = build(path_or_paths, max_articles=max_articles, errors=errors)
    Path(output).write_text(to_html(overview, title=title, compress=compress), encoding="utf-8")
    return overview


def summary_line(overview: Overview, output: PathLike) -> str:
    """One line for the terminal: what was written."""
    size = Path(output).stat().st_size
    shown = overview.n_sampled
    sample = f", {shown:,} in the browser (sample)" if shown < overview.n_articles else ""
    return (f"wrote {output}: {overview.n_articles:,} articles{sample}, {overview.n_spans:,} spans, "
            f"{len(overview.entities):,} names, {size / 1e6:.1f} MB")
