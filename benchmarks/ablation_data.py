"""What each data source and each lexicon family adds: strict micro F1 of variants of the shipped pipeline.

Data sources: each variant retrains the model (`kner train` with one part left out or added) and is scored
rules+model ("combined") and model alone on every evaluation set of benchmarks/ablation.py. Lexicon families:
the shipped pipeline with one lexicon file's entries removed from the rule tagger at annotation time (the model
is not retrained), combined and rules alone.

    python benchmarks/ablation_data.py [--part data|lexicons|all]      # data: ~10 min per variant on 2 cores
    python benchmarks/ablation_data.py --part data --variant "without KLUE" --variant synthetic   # some rows
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ablation import DATASETS, ablation, load_dataset  # noqa: E402
from kner.evaluate import MICRO  # noqa: E402
from kner.lexicon import BUILTIN, Lexicon  # noqa: E402

DATA_VARIANTS = {  # name -> (TrainConfig changes, use KLUE)
    "shipped (KLUE seven times + domain + gazetteer + name dropout)": ({}, True),
    "without name dropout": ({"name_dropout": 0.0}, True),
    "without the domain corpus": ({"domain": False}, True),
    "without KLUE": ({}, False),
    "KLUE five times instead of seven": ({"klue_repeat": 5}, True),
    "with synthetic sentences (30 per template)": ({"silver_per_template": 30}, True),
    "without konec gazetteer feature": ({"gazetteer": False}, True),
    "with distant-supervision silver (KLUE raw news)": ({"distant": "wikitree"}, True),
}


def scores(nlp, systems: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """{dataset: {system: strict micro F1}}."""
    out = {}
    for name, (path, labels, heldout_only) in DATASETS.items():
        result = ablation(nlp, load_dataset(path, heldout_only), labels)
        out[name] = {s: result[s].scores["strict"][MICRO].f for s in systems if s in result}
    return out


def row(name: str, result: dict[str, dict[str, float]], systems: tuple[str, ...]) -> str:
    cells = [" / ".join(f"{result[d][s]:.3f}" if s in result[d] else "-" for s in systems) for d in DATASETS]
    return f"| {name} | " + " | ".join(cells) + " |"


def data_sources(chosen: list[str]) -> None:
    from kner.nlp import load
    from kner.train import DEFAULT_KLUE, TrainConfig, train

    systems = ("combined", "model")
    print("\nData sources (retrained; combined / model, strict micro F1)\n")
    print("| variant | " + " | ".join(DATASETS) + " |")
    print("|---|" + "---|" * len(DATASETS))
    for name, (changes, use_klue) in DATA_VARIANTS.items():
        if chosen and not any(c in name for c in chosen):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            train(Path(tmp) / "m", DEFAULT_KLUE if use_klue else None, (), replace(TrainConfig(), **changes))
            print(row(name, scores(load(Path(tmp) / "m"), systems), systems), flush=True)


def lexicon_families() -> None:
    from kner.lexicon import read_lexicon
    from kner.nlp import load
    from kner.resources import LEXICONS

    systems = ("combined", "rules")
    print("\nLexicon families (shipped model, one file's entries removed; combined / rules, strict micro F1)\n")
    print("| variant | " + " | ".join(DATASETS) + " |")
    print("|---|" + "---|" * len(DATASETS))
    nlp = load("default")
    rules = nlp.get_pipe("kner_rules")
    shipped = list(rules.lexicon)
    print(row("all lexicons", scores(nlp, systems), systems), flush=True)
    for file in BUILTIN:
        dropped = {e.term for e in read_lexicon(LEXICONS / file)}
        rules._tagger.lexicon = Lexicon(e for e in shipped if e.term not in dropped)
        print(row(f"without {file}", scores(nlp, systems), systems), flush=True)
    rules._tagger.lexicon = Lexicon(shipped)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=("data", "lexicons", "all"), default="all")
    ap.add_argument("--variant", action="append", default=[],
                    help="only the data variants whose name contains this (repeatable; default: all of them)")
    args = ap.parse_args()
    if args.part in ("lexicons", "all"):
        lexicon_families()
    if args.part in ("data", "all"):
        data_sources(args.variant)


if __name__ == "__main__":
    main()
