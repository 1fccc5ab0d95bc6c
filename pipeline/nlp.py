"""Build the kner spaCy pipeline: Kiwi tokenizer, rule tagger, statistical tagger, their merge and doc.ents."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import spacy
from spacy.language import Language

from . import tokenize  # noqa: F401  (registers the Kiwi tokenizer)
from .resources import MODELS as MODELS_DIR  # models/ in a checkout, kner/models in a wheel

DEFAULT_MODEL = "kner-ko"
TOKENIZER_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "kner.KiwiTokenizer.v1", "multi_dict": False}}}


class ModelLoadError(RuntimeError):
    """A model that is missing or cannot be loaded; the message says which and what to do."""


def _register_components() -> None:
    """Import the modules whose factories a saved pipeline refers to."""
    from . import merge, rules, spacy_ents, statistical  # noqa: F401


def blank() -> Language:
    """A Korean Language with only the Kiwi tokenizer (no mecab needed)."""
    return spacy.blank("ko", config=TOKENIZER_CONFIG)


def resolve_model(model: str | os.PathLike | None) -> Path | None:
    """Turn a model name or path into a directory; None or "rules" means rules only."""
    if model is None or str(model) == "rules":
        return None
    path = Path(model)
    if not path.exists() and (MODELS_DIR / str(model)).exists():
        path = MODELS_DIR / str(model)
    if not (path / "config.cfg").exists():
        raise ModelLoadError(
            f"[E001] no kner model at {path}: expected a directory with config.cfg "
            f"(shipped models live in {MODELS_DIR}; train one with `kner train`)"
        )
    return path


def default_model() -> str:
    """The model `kner annotate` uses unless told otherwise: $KNER_MODEL or the shipped one."""
    return os.environ.get("KNER_MODEL", DEFAULT_MODEL)


def load(model: str | os.PathLike | None = "default", lexicons: Sequence[str | os.PathLike] = ()) -> Language:
    """Load a trained pipeline (or rules only with model=None/"rules") and add user lexicons to its rules."""
    _register_components()
    path = resolve_model(default_model() if model == "default" else model)
    if path is None:
        nlp = blank()
        nlp.add_pipe("kner_rules")
        nlp.add_pipe("kner_merge")
        nlp.add_pipe("kner_ents")
    else:
        try:
            nlp = spacy.load(path)
        except (OSError, ValueError, KeyError) as e:
            raise ModelLoadError(f"[E002] cannot load the model at {path}: {e}") from e
    if lexicons:
        rules = nlp.get_pipe("kner_rules")
        for lexicon in lexicons:
            rules.add_lexicon(lexicon)
    return nlp


def model_name(nlp: Language) -> str:
    """`name-version` of the loaded pipeline, written on every record."""
    return f"{nlp.meta.get('name', 'pipeline')}-{nlp.meta.get('version', '0.0.0')}"
