/* kner report: draws the name tables, mentions in context and the article browser from the embedded data.
   Lazily: a page of rows at a time, an article's text only when it is opened, the mention index on first use. */
"use strict";
(async function () {
  const started = performance.now();
  const D = await readData(document.getElementById("kner-data"));
  const S = 6; // ints per span: start, end, entity, source, score per mille (-1: none), canonical (-1: none)
  const PAGE = 50, CONTEXT = 40;
  const E = D.entities, DOCS = D.docs, LABELS = D.labels;
  const NOISE = new RegExp(D.noise, "g");
  const collator = new Intl.Collator("ko");
  const fmt = (n) => n.toLocaleString("en-US");
  const count = (n, word) => fmt(n) + " " + word + (n === 1 ? "" : "s");
  const norm = (s) => s.normalize("NFKC").toLowerCase().replace(NOISE, "");
  const $ = (id) => document.getElementById(id);
  const colour = (label) => D.colors[LABELS[label]] || "#dddddd";
  const NAMES = {ORG: "Organisations", LOC: "Places", PROGRAM: "Programmes"};

  /** An element with attributes and children (strings become text, so nothing from the data is parsed as HTML). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined && v !== false) el.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) el.append(c);
    return el;
  }

  function badge(label, text) {
    return h("span", {class: "badge", style: "background:" + colour(label)}, text);
  }

  // ------------------------------------------------------------ indexes, built on first use

  let mentionIndex = null; // entity -> flat [doc, span offset, doc, span offset, ...] in the browser's articles
  function mentions(e) {
    if (!mentionIndex) {
      mentionIndex = new Map();
      DOCS.forEach((doc, d) => {
        const sp = doc[3];
        for (let j = 0; j < sp.length; j += S) {
          let list = mentionIndex.get(sp[j + 2]);
          if (!list) mentionIndex.set(sp[j + 2], (list = []));
          list.push(d, j);
        }
      });
    }
    return mentionIndex.get(e) || [];
  }

  let entityKeys = null; // normalised name and other forms of each entity, for search
  function entityMatches(q) {
    if (!entityKeys) entityKeys = E.map((x) => norm([x[1], ...x[4].map((f) => f[0])].join("\u0001")));
    const out = new Set();
    if (q) entityKeys.forEach((k, i) => { if (k.includes(q)) out.add(i); });
    return out;
  }

  // ------------------------------------------------------------ names: tabs, table, mentions in context

  const ent = {label: 0, q: "", sort: 3, desc: true, shown: PAGE, rows: [], on: -1};
  const present = LABELS.map((_, i) => E.some((x) => x[0] === i));

  function drawTabs() {
    const tabs = $("ent-tabs");
    tabs.replaceChildren(...LABELS.map((label, i) => present[i] || i < 3 ? h("button", {
      "data-label": label, class: i === ent.label ? "on" : null, type: "button",
    }, h("span", {class: "swatch", style: "background:" + colour(i)}),
    (NAMES[label] || label) + " (" + label + ")") : null).filter(Boolean));
  }

  function filterEntities() {
    const q = norm(ent.q);
    const hits = q ? entityMatches(q) : null;
    const rows = [];
    for (let i = 0; i < E.length; i++) if (E[i][0] === ent.label && (!hits || hits.has(i))) rows.push(i);
    const k = ent.sort, dir = ent.desc ? -1 : 1;
    if (k === 1) rows.sort((a, b) => dir * collator.compare(E[a][1], E[b][1]));
    else if (k !== 3 || !ent.desc) rows.sort((a, b) => dir * (E[a][k] - E[b][k]) || a - b);
    ent.rows = rows; // entities arrive sorted by mentions, so that order needs no sort
    ent.shown = PAGE;
  }

  function drawEntities() {
    const cols = [[1, "name"], [2, "articles"], [3, "mentions"]];
    const head = h("tr", null, ...cols.map(([k, name]) => h("th", {class: "sort", "data-sort": k},
      name + (ent.sort === k ? (ent.desc ? " ▼" : " ▲") : ""))));
    const body = ent.rows.slice(0, ent.shown).map((i) => h("tr", {"data-e": i, class: i === ent.on ? "on" : null},
      h("td", null, E[i][1]), h("td", null, fmt(E[i][2])), h("td", null, fmt(E[i][3]))));
    $("ent-table").replaceChildren(head, ...body);
    const label = LABELS[ent.label];
    $("ent-count").textContent = `${fmt(Math.min(ent.shown, ent.rows.length))} of ${fmt(ent.rows.length)} ` +
      `${label} names` + (ent.q ? ` matching “${ent.q}”` : "") + "; counts over all articles";
    $("ent-more").replaceChildren(...(ent.shown < ent.rows.length ?
      [h("button", {type: "button", id: "ent-more-button"}, `show ${PAGE} more`)] : []));
  }

  function showEntity(e, scroll) {
    ent.on = e;
    if (E[e][0] !== ent.label) { ent.label = E[e][0]; ent.q = ""; $("ent-search").value = ""; drawTabs(); filterEntities(); }
    drawEntities();
    const [label, name, articles, n, forms] = E[e];
    const found = mentions(e);
    const lines = [];
    for (let k = 0; k < found.length && lines.length < 200; k += 2) lines.push(kwicLine(found[k], found[k + 1]));
    const sampled = DOCS.length < D.articles;
    $("kwic").replaceChildren(
      h("h3", null, name, " ", badge(label, LABELS[label])),
      h("p", null, `${count(n, "mention")} in ${count(articles, "article")}` +
        (forms.length ? "; also written " + forms.map((f) => `${f[0]} (${fmt(f[1])})`).join(", ") : "") + ". ",
      h("a", {"data-filter": e, href: "#articles"}, "Show these articles")),
      h("p", {class: "muted"}, count(found.length / 2, "mention") + (sampled ? " in the sampled articles" : "") +
        (found.length / 2 > lines.length ? `, the first ${fmt(lines.length)} shown` : "") + ":"),
      h("div", {class: "kwic", id: "kwic-lines"}, ...lines));
    if (scroll) $("entities").scrollIntoView();
  }

  function flat(s) { return s.replace(/\s+/g, " "); }

  function kwicLine(d, j) {
    const [id, text, , sp] = DOCS[d];
    const start = sp[j], end = sp[j + 1];
    return h("div", null, h("a", {"data-doc": d, "data-at": start, href: "#articles", title: id}, id),
      h("span", {class: "left"}, h("span", null, (start > CONTEXT ? "…" : "") + flat(text.slice(Math.max(0, start - CONTEXT), start)))),
      h("mark", {style: "background:" + colour(E[sp[j + 2]][0])}, flat(text.slice(start, end))),
      h("span", {class: "right"}, flat(text.slice(end, end + CONTEXT)) + (end + CONTEXT < text.length ? "…" : "")));
  }

  // ------------------------------------------------------------ articles: search, filters, list, one article

  const br = {q: "", label: -1, ents: [], shown: PAGE, rows: [], open: -1};

  function filterDocs() {
    let pool = null; // documents naming every chosen entity
    for (const e of br.ents) {
      const found = mentions(e), docs = new Set();
      for (let k = 0; k < found.length; k += 2) if (!pool || pool.has(found[k])) docs.add(found[k]);
      pool = docs;
    }
    const q = br.q.trim(), qn = norm(q), hits = qn ? entityMatches(qn) : null;
    const rows = [];
    const candidates = pool ? [...pool].sort((a, b) => a - b) : DOCS.keys();
    for (const d of candidates) {
      const [, text, , sp] = DOCS[d];
      let labelOk = br.label < 0, queryOk = !q || text.includes(q);
      for (let j = 0; j < sp.length && !(labelOk && queryOk); j += S) {
        if (!labelOk && E[sp[j + 2]][0] === br.label) labelOk = true;
        if (!queryOk && hits && hits.has(sp[j + 2])) queryOk = true;
      }
      if (labelOk && queryOk) rows.push(d);
    }
    br.rows = rows;
    br.shown = PAGE;
  }

  function title(text) {
    const line = text.split("\n").find((l) => l.trim()) || "";
    return line.length > 90 ? line.slice(0, 90) + "…" : line;
  }

  function drawDocs() {
    const items = br.rows.slice(0, br.shown).map((d) => {
      const [id, text, date, sp] = DOCS[d];
      const counts = LABELS.map(() => 0);
      for (let j = 0; j < sp.length; j += S) counts[E[sp[j + 2]][0]]++;
      return h("li", {"data-doc": d, class: d === br.open ? "on" : null}, h("span", {class: "id"}, id),
        date ? h("span", {class: "muted"}, date + " ") : null, title(text), " ",
        ...counts.map((n, i) => n ? badge(i, `${LABELS[i]} ${n}`) : null));
    });
    $("doc-list").replaceChildren(...items);
    const sampled = DOCS.length < D.articles ? ` (a sample of ${fmt(D.articles)})` : "";
    $("doc-count").textContent = `${fmt(br.rows.length)} of ${fmt(DOCS.length)} articles${sampled}`;
    $("doc-more").replaceChildren(...(br.shown < br.rows.length ?
      [h("button", {type: "button", id: "doc-more-button"}, `show ${PAGE} more`)] : []));
    $("doc-chips").replaceChildren(...br.ents.map((e) => h("span", {class: "chip"}, badge(E[e][0], LABELS[E[e][0]]),
      " " + E[e][1], h("button", {type: "button", "data-unfilter": e, title: "remove this filter"}, "×"))));
  }

  function refreshDocs() { filterDocs(); drawDocs(); }

  function openDoc(d, at) {
    br.open = d;
    const [id, text, date, sp] = DOCS[d];
    // outlined: the name of the mention clicked in context, else those the list is filtered by or searched for
    const q = norm(br.q.trim());
    const focus = new Set(at >= 0 ? [ent.on] : [...br.ents, ...(q ? entityMatches(q) : [])]);
    if (!focus.size && ent.on >= 0) focus.add(ent.on);
    const body = h("div", {class: "snippet doc", id: "doc-text"});
    let pos = 0, overlapping = 0, target = null, first = null;
    for (let j = 0; j < sp.length; j += S) {
      const [start, end, e, source, score, canonical] = sp.slice(j, j + S);
      if (start < pos) { overlapping++; continue; } // the entity style cannot nest marks
      body.append(text.slice(pos, start));
      const label = E[e][0];
      const tip = [LABELS[label], "canonical: " + (canonical >= 0 ? D.canonicals[canonical] : "—"),
        "source: " + (D.sources[source] || "—"), "score: " + (score >= 0 ? (score / 1000).toFixed(3) : "—"),
        "counted as: " + E[e][1]].join("\n");
      const mark = h("mark", {class: "ent first last" + (focus.has(e) ? " focus" : ""), "data-e": e, title: tip,
        style: "background:" + colour(label)}, text.slice(start, end), h("span", {class: "tag"}, LABELS[label]));
      body.append(mark);
      if (start === at) target = mark;
      if (!first && focus.has(e)) first = mark;
      pos = end;
    }
    body.append(text.slice(pos));
    $("doc-view").replaceChildren(h("h3", null, id), h("p", {class: "muted"}, [date, count(text.length, "character"),
      count(sp.length / S, "span")].filter(Boolean).join(" · ") + (overlapping ? ` (${overlapping} overlapping not drawn)` : "") +
      ". Hover a name for its canonical name, source and score; click it for its mentions."), body);
    drawDocs();
    const mark = target || first;
    if (mark) mark.scrollIntoView({block: "center"});
    else $("articles").scrollIntoView();
  }

  // ------------------------------------------------------------ events

  let timer = 0;
  const later = (f) => { clearTimeout(timer); timer = setTimeout(f, 150); };
  $("ent-search").addEventListener("input", (ev) => later(() => { ent.q = ev.target.value; filterEntities(); drawEntities(); }));
  $("doc-search").addEventListener("input", (ev) => later(() => { br.q = ev.target.value; refreshDocs(); }));
  const select = $("doc-label");
  LABELS.forEach((label, i) => { if (present[i]) select.append(h("option", {value: i}, label)); });
  select.addEventListener("change", () => { br.label = Number(select.value); refreshDocs(); });

  document.addEventListener("click", (ev) => {
    const t = ev.target.closest("[data-label],[data-sort],[data-e],[data-doc],[data-filter],[data-pair],[data-unfilter],button");
    if (!t) return;
    const ds = t.dataset;
    if (ds.label) { ent.label = LABELS.indexOf(ds.label); drawTabs(); filterEntities(); drawEntities(); }
    else if (ds.sort) {
      const k = Number(ds.sort);
      ent.desc = ent.sort === k ? !ent.desc : k !== 1;
      ent.sort = k; filterEntities(); drawEntities();
    } else if (ds.filter || ds.pair) {
      ev.preventDefault();
      br.ents = (ds.filter || ds.pair).split(",").map(Number);
      refreshDocs();
      $("articles").scrollIntoView();
    } else if (ds.unfilter) { br.ents = br.ents.filter((e) => e !== Number(ds.unfilter)); refreshDocs(); }
    else if (ds.doc) { ev.preventDefault(); openDoc(Number(ds.doc), ds.at === undefined ? -1 : Number(ds.at)); }
    else if (ds.e) { ev.preventDefault(); showEntity(Number(ds.e), !t.closest("#ent-table")); }
    else if (t.id === "ent-more-button") { ent.shown += PAGE; drawEntities(); }
    else if (t.id === "doc-more-button") { br.shown += PAGE; drawDocs(); }
  });

  drawTabs();
  filterEntities();
  drawEntities();
  refreshDocs();
  // for tests and benchmarks: ms from navigation to the first draw, and of that the script's own share
  document.body.dataset.ready = String(Math.round(performance.now()));
  document.body.dataset.script = String(Math.round(performance.now() - started));
})().catch((err) => {
  document.body.dataset.error = String(err);
  document.body.prepend(Object.assign(document.createElement("div"),
    {className: "warn", textContent: "This report could not be drawn: " + err}));
});

/** The embedded JSON, gunzipped in the browser when it is stored compressed. */
async function readData(el) {
  if (el.dataset.encoding !== "gzip-base64") return JSON.parse(el.textContent);
  const bin = atob(el.textContent);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return JSON.parse(await new Response(stream).text());
}
