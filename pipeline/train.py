"""Train the statistical tagger (pipeline/statistical.py) from gold JSONL files, deterministically."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from . import __version__, resources
from .records import LABELS, Record, Span
from .splits import is_merge_dev, split

ROOT = resources.CHECKOUT or resources.PACKAGE.parent  # training data is only in a checkout (train() checks)
DEFAULT_KLUE = ROOT / "data" / "klue-ner" / "train.jsonl"
DEFAULT_DOMAIN = ROOT / "data" / "domain" / "train.jsonl"  # the training part of the domain corpus
DEFAULT_DOMAIN_DEV = ROOT / "data" / "domain" / "dev.jsonl"  # its dev part: fits the merge policy
DEFAULT_EXCLUDE = ROOT / "seeds" / "gold.jsonl"  # names never used in synthetic sentences (our dev set)
ANCHOR_TAGS = frozenset({"NNP", "NNG"})  # anchors of the word classes: names and common nouns
TERRITORY_RULES = ("gov-territory", "lexicon", "address")  # rule families whose LOC spans are territories


@dataclass
class TrainConfig:
    """Hyper-parameters of the CRF (L-BFGS with elastic-net regularisation); the defaults built the shipped model."""

    c1: float = 0.05
    c2: float = 0.1
    max_iterations: int = 200
    min_freq: int = 1
    labels: tuple[str, ...] = (*LABELS, "PS")  # KLUE persons are learnt too (fewer names taken for ORG), not output
    silver_per_template: int = 0  # synthetic sentences (kner.silver) per template; off: they lower accuracy (card)
    exclude_names: Path | None = DEFAULT_EXCLUDE
    seed: int = 0
    n_anchors: int = 256  # word classes from Kiwi's embeddings; 0 trains without them (fast, for tests)
    klue_repeat: int = 7  # KLUE's training sentences given this many times: the domain corpus has 19 times their
    # text; chosen on KLUE's merge-dev part (0.3.9: 5 0.668, 7 0.682; domain dev 0.901 and 0.900; model card)
    domain: bool = True  # train on the domain corpus (data/domain/train.jsonl); fit the merge on its dev part
    domain_train: Path = DEFAULT_DOMAIN  # the domain corpus's parts, when `domain` (another corpus of your own)
    domain_dev: Path = DEFAULT_DOMAIN_DEV
    fit_merge: bool = True  # fit the merge policy on dev data (KLUE's merge-dev part, the domain dev part)
    gazetteer: bool = True  # konec's entity forms as a feature (kner.distant.read_forms)
    name_dropout: float = 0.25  # share of gold names whose whole-word features are hidden in training, so the
    # model learns to find a name it has never seen from its syllables, context, word class and rules; chosen on the
    # dev data (0.3.10: KLUE merge-dev 0.683 -> 0.687, domain dev 0.899 -> 0.898; 0.5: 0.690, 0.896; model card)
    distant: str | None = None  # raw KLUE sentences with distant-supervision silver (kner.distant): ids containing
    # this ("wikitree" = the news half, "" = all); off by default: it lowers KLUE held-out F1 (model card)
    version: str = __version__  # the model takes the package version (one place: kner/__init__.py)


def read_gold(path: str | Path) -> Iterator[Record]:
    """Records of a gold JSONL file in our format; a bad line is reported (file, line, why) and skipped."""
    from .formats import read_kner

    return read_kner(str(path))


def tokenizer_nlp():
    """A blank pipeline with the Kiwi tokenizer `kner.nlp` uses and the rule tagger, whose spans are features."""
    from . import rules  # noqa: F401  (registers kner_rules)
    from .nlp import blank

    nlp = blank()
    nlp.add_pipe("kner_rules")
    return nlp


def word_classes(texts: Iterable[str], n_anchors: int = 256) -> dict[str, list[str]]:
    """Word classes from Kiwi's morpheme embeddings: each nominal morpheme -> its two nearest anchor morphemes.

    Anchors are the `n_anchors` most frequent nominal morphemes of `texts` (ties by Kiwi id). Unseen names then
    share a feature with training words that Kiwi's language model places nearby (캐나다 -> 호주), which is how
    the tagger generalises beyond its training vocabulary. Deterministic for a given kiwipiepy_model version.
    """
    import math
    from collections import Counter

    from .statistical import NOMINAL, class_key
    from .tokenize import get_kiwi

    kiwi = get_kiwi()
    counts: Counter = Counter()
    for tokens in kiwi.tokenize(list(texts)):
        counts.update(t.id for t in tokens if t.tag in ANCHOR_TAGS and t.id is not None)
    probe = next(iter(counts), 0)
    similarity = kiwi.morpheme_similarity
    vocab: dict[str, int] = {}  # form/TAG -> first id with a vector
    for i in range(_vocabulary_size(kiwi)):
        m = kiwi.morpheme(i)
        key = class_key(m.form, str(m.tag))
        if str(m.tag) in NOMINAL and key not in vocab and not math.isnan(similarity(i, probe)):
            vocab[key] = i
    anchors = sorted((i for i in counts if kiwi.morpheme(i).form and not math.isnan(similarity(i, probe))),
                     key=lambda i: (-counts[i], i))
    anchors = anchors[:n_anchors]
    names = [class_key(kiwi.morpheme(a).form, str(kiwi.morpheme(a).tag)) for a in anchors]
    # hubness correction (as in CSLS): subtract each anchor's mean similarity to a fixed sample of the vocabulary
    sample = list(vocab.values())[::50]
    hub = [sum(similarity(s, a) for s in sample) / len(sample) for a in anchors]
    table: dict[str, list[str]] = {}
    for key, i in vocab.items():
        sims = sorted(((similarity(i, a) - h, -k) for k, (a, h) in enumerate(zip(anchors, hub, strict=True))),
                      reverse=True)
        table[key] = [names[-k] for _, k in sims[:2]]
    return table


def _vocabulary_size(kiwi) -> int:
    """Number of morpheme ids Kiwi knows (it has no accessor; ids are dense, so search for the first invalid)."""
    lo, hi = 0, 1
    while _valid_id(kiwi, hi):
        lo, hi = hi, hi * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if _valid_id(kiwi, mid) else (lo, mid)
    return hi


def _valid_id(kiwi, i: int) -> bool:
    """True when `i` is a morpheme id of `kiwi`."""
    try:
        kiwi.morpheme(i)
    except (IndexError, ValueError, RuntimeError):
        return False
    return True


def keep_labels(record: Record, labels: Iterable[str]) -> list[Span]:
    """The record's spans whose label we train on (KLUE's PS/DT/QT/TI are dropped, so they read as O)."""
    wanted = set(labels)
    return [s for s in record.spans if s.label in wanted]


def sequences(nlp, records: Iterable[Record], labels: Iterable[str], tables: dict[str, dict],
              name_dropout: float = 0.0) -> Iterator[tuple[list, list[str]]]:
    """(features, BIO labels) per sentence of each record; `tables` are the featurizer's (word classes, gazetteer);
    `name_dropout` hides the whole-word features of that share of the gold names (`hide_names`)."""
    from collections import Counter

    from .statistical import Featurizer, bio_labels, units

    labels = tuple(labels)
    featurizer = Featurizer(tables["classes"], tables["gazetteer"])
    copies: Counter = Counter()  # a record given several times hides other names in each copy
    for rec in records:
        doc = nlp(rec.text)
        spans = keep_labels(rec, labels)
        copy = copies[rec.id]
        copies[rec.id] += 1
        for sent, feats in featurizer.sequences(doc):
            sent_units = units(sent)
            s, e = sent_units[0].start, sent_units[-1].end
            inside = [sp for sp in spans if sp.start < e and sp.end > s]
            if name_dropout:
                hide_names(feats, sent_units, inside, name_dropout, f"{rec.id}|{copy}")
            yield feats, bio_labels(sent_units, inside)


HIDDEN = ("w=", "wt=", "lemma=", "in_w=")  # whole-word features: what a name the model never saw does not match


def hide_names(feats: list, sent_units: list, spans: Iterable[Span], rate: float, key: str) -> None:
    """Drop the whole-word features (`HIDDEN`) of the units of a `rate` share of `spans`, chosen by a hash of
    `key` and the span's offsets (deterministic): trained on such names, the CRF reads an unseen name by its
    syllables, context, word class, gazetteer and rule features, as it must in new text."""
    import zlib

    from .statistical import covered_units

    starts = [u.start for u in sent_units]
    for sp in spans:
        if zlib.crc32(f"{key}|{sp.start}|{sp.end}".encode()) % 10_000 >= rate * 10_000:
            continue
        for i in covered_units(starts, sp.start, sp.end):
            feats[i] = [f for f in feats[i] if not f.startswith(HIDDEN)]


def _shown(path: Path | None) -> str | None:
    """A path as recorded in cfg.json: relative to the repository when inside it, so checkouts agree."""
    if path is None:
        return None
    resolved = Path(path).resolve()
    return str(resolved.relative_to(ROOT)) if resolved.is_relative_to(ROOT) else str(path)


def excluded_names(path: Path | None) -> set[str]:
    """Surface forms of every gold span in `path` (our dev set): kept out of synthetic data."""
    return {s.text for r in read_gold(path) for s in r.spans} if path else set()


def klue_records(nlp, klue: Path, merge_dev: bool) -> list[Record]:
    """KLUE's training part (or its merge-dev part), never the held-out split, with address chains split by the
    rule tagger of `nlp` (`tokenizer_nlp`)."""
    return [split_address_chains(r, nlp) for r in split(read_gold(klue), heldout=False)
            if is_merge_dev(r.id) == merge_dev]


def split_address_chains(record: Record, nlp) -> Record:
    """A record whose LOC spans that are address chains (경북 울진군, 중국 베이징) become one span per territory,
    as docs/annotation.md and the domain corpus have them; KLUE joins them. The rule tagger (`nlp`) finds the
    territories; a place with its venue (인천 계양체육관) stays whole."""
    from .layers import get_layer

    chains = [s for s in record.spans if s.label == "LOC" and " " in record.text[s.start:s.end]]
    if not chains:
        return record
    territories = [r for r in get_layer(nlp(record.text), "rules")
                   if r.label == "LOC" and (r.rule or "").startswith(TERRITORY_RULES)]
    spans = []
    for s in record.spans:
        parts = [r for r in territories if s.start <= r.start and r.end <= s.end] if s in chains else []
        tiles = (len(parts) > 1 and parts[0].start == s.start and parts[-1].end == s.end
                 and all(not record.text[a.end:b.start].strip() for a, b in zip(parts, parts[1:], strict=False)))
        spans += [Span(r.start, r.end, "LOC", r.text) for r in parts] if tiles else [s]
    return replace(record, spans=tuple(spans))


def training_records(nlp, klue: Path | None, extra: Iterable[Path], config: TrainConfig) -> list[Record]:
    """KLUE minus the held-out split (`config.klue_repeat` times), distant-supervision silver on raw KLUE
    (kner.distant) and synthetic sentences (kner.silver) as `config` asks, and extra gold files (all of each); `nlp`
    (`tokenizer_nlp`) splits KLUE's address chains."""
    from .distant import DistantLabeller, read_forms, read_raw
    from .lexicon import builtin_entries
    from .silver import synthesise

    records: list[Record] = []
    if klue:
        records.extend(klue_records(nlp, klue, merge_dev=False) * config.klue_repeat)
    if config.distant is not None:
        labeller = DistantLabeller(read_forms())
        records.extend(labeller.records((i, t) for i, t in read_raw() if config.distant in i))
    if config.silver_per_template:
        records.extend(synthesise(builtin_entries(), excluded_names(config.exclude_names), config.silver_per_template,
                                  config.seed))
    for path in extra:
        records.extend(read_gold(path))
    return records


def merge_dev_records(nlp, klue: Path | None, domain_dev: Path | None) -> list[tuple[Record, tuple[str, ...]]]:
    """Dev records the CRF never trained on, with the labels each is annotated for: KLUE's merge-dev part (ORG,
    LOC; address chains split by `nlp`, as in `training_records`) and the domain dev part (all three)."""
    dev: list[tuple[Record, tuple[str, ...]]] = []
    if klue:
        dev += [(r, ("ORG", "LOC")) for r in klue_records(nlp, klue, merge_dev=True)]
    if domain_dev:
        dev += [(r, LABELS) for r in read_gold(domain_dev)]
    return dev


def merge_examples(nlp, dev: Iterable[tuple[Record, tuple[str, ...]]]) -> list:
    """Per dev record: the merge's candidates (of the labels it is annotated for) and its gold spans."""
    from .layers import NEVER, get_layer
    from .merge import MODEL, RULES, candidates, token_edges

    examples = []
    for rec, labels in dev:
        doc = nlp(rec.text)
        cands = [c for c in candidates(get_layer(doc, RULES), get_layer(doc, MODEL), get_layer(doc, NEVER),
                                       token_edges(doc)) if c.span.label in labels]
        examples.append((cands, {(s.start, s.end, s.label) for s in rec.spans if s.label in labels}))
    return examples


def train(
    output_dir: Path,
    klue: Path | None = DEFAULT_KLUE,
    extra: Iterable[Path] = (),
    config: TrainConfig | None = None,
) -> dict:
    """Train the CRF on KLUE (training split), the domain corpus and `extra` gold files; save the pipeline.

    The directory holds the Kiwi tokenizer config, kner_rules, the trained kner_model and kner_merge, so
    `spacy.load(output_dir)` / `kner annotate --model output_dir` runs the whole pipeline. Deterministic: the same
    files and config give the same model file (L-BFGS has no random state; synthetic data is seeded).
    Returns the training cfg stored with the model (kner_model/cfg.json).
    """
    import pycrfsuite

    from . import canonical, rules, spacy_ents  # noqa: F401  (register the factories the saved pipeline needs)
    from .merge import fit_policy
    from .statistical import FEATURES_VERSION

    resources.checkout("kner train")
    config = config or TrainConfig()
    extra = [Path(p) for p in extra]
    t0 = time.perf_counter()
    from .distant import read_forms

    extra = ([config.domain_train] if config.domain else []) + extra
    nlp = tokenizer_nlp()  # tokenizer and rules: they split KLUE's address chains, then the model is added to it
    records = training_records(nlp, klue, extra, config)
    dev = merge_dev_records(nlp, klue, config.domain_dev if config.domain else None) if config.fit_merge else []
    tables = {"classes": word_classes((r.text for r in records), config.n_anchors) if config.n_anchors else {},
              "gazetteer": read_forms() if config.gazetteer else {}}
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params({
        "c1": config.c1, "c2": config.c2, "max_iterations": config.max_iterations,
        "feature.minfreq": config.min_freq, "feature.possible_transitions": True,
    })
    n_seq = 0
    for feats, labels in sequences(nlp, records, config.labels, tables, config.name_dropout):
        trainer.append(feats, labels)
        n_seq += 1
    if not n_seq:
        raise ValueError("[E206] no training sentences: check the training files")
    with tempfile.TemporaryDirectory() as tmp:
        model_file = Path(tmp) / "model.crfsuite"
        trainer.train(str(model_file))
        model_bytes = model_file.read_bytes()
    cfg = {
        "features_version": FEATURES_VERSION,
        "labels": list(config.labels),
        "train": {
            "klue": _shown(klue),
            "klue_split": "training part (kner.splits.is_heldout == False)",
            "klue_repeat": config.klue_repeat,
            "silver_per_template": config.silver_per_template,
            "silver_excludes_names_of": _shown(config.exclude_names),
            "extra": [_shown(p) for p in extra],
            "merge_dev": _shown(config.domain_dev) if config.domain and config.fit_merge else None,
            "records": len(records),
            "sentences": n_seq,
            "c1": config.c1, "c2": config.c2, "max_iterations": config.max_iterations,
            "min_freq": config.min_freq, "seed": config.seed, "n_anchors": config.n_anchors,
            "distant": config.distant, "gazetteer": config.gazetteer, "name_dropout": config.name_dropout,
        },
    }
    nlp.add_pipe("kner_model").load(model_bytes, cfg, tables)
    merger = nlp.add_pipe("kner_merge")
    if dev:  # without dev data the merge keeps its unfitted policy (each tagger's own score)
        merger.policy, merger.report = fit_policy(merge_examples(nlp, dev))
    nlp.add_pipe("kner_canonical")
    nlp.add_pipe("kner_ents")
    nlp.meta.update({"name": Path(output_dir).name, "version": config.version,
                     "description": "Kiwi tokenizer + kner rules + CRF tagger + merge (kner train)",
                     "license": "CC BY-SA 4.0 (trained on KLUE)"})
    Path(output_dir).mkdir(parents=True, exist_ok=True)  # spaCy makes the last folder only
    nlp.to_disk(output_dir)
    print(f"trained on {len(records)} records / {n_seq} sentences in {time.perf_counter() - t0:.0f} s")
    return cfg
