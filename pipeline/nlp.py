"""Build the kner spaCy pipeline: Kiwi tokenizer, rule tagger, statistical tagger, their merge and doc.ents."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

import spacy
from spacy.language import Language

from . import (
    __version__,
    tokenize,  # noqa: F401  (registers the Kiwi tokenizer)
)
from .errors import ModelLoadError
from .resources import MODELS as MODELS_DIR  # models/ in a checkout, kner/models in a wheel

__all__ = ["DEFAULT_MODEL", "ModelLoadError", "blank", "default_model", "load", "model_name", "resolve_model",
           "verify_checksums"]

DEFAULT_MODEL = "kner-ko"


CHECKED_FILES = {"kner_model/cfg.json": "kner_model/model.crfsuite"}  # cfg whose sha256 guards a binary file


def _register_components() -> None:
    """Import the modules whose factories a saved pipeline refers to."""
    from . import canonical, merge, rules, spacy_ents, statistical  # noqa: F401


TOKENIZER_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "kner.KiwiTokenizer.v1", "multi_dict": False}}}


def _with_threads(nlp: Language, threads: int) -> Language:
    """Give the pipeline's Kiwi its thread count explicitly (never through the environment). Kiwi is built on
    first use, so setting it after loading costs nothing."""
    nlp.tokenizer.num_workers = int(threads)
    return nlp


def blank(threads: int = 1) -> Language:
    """A Korean Language with only the Kiwi tokenizer (no mecab needed); `threads` is Kiwi's thread count."""
    return _with_threads(spacy.blank("ko", config=TOKENIZER_CONFIG), threads)


def verify_checksums(path: Path) -> None:
    """Refuse a model whose trained weights have no sha256: loading a truncated or altered CRFsuite file can crash
    the process, so the checksum is mandatory. The statistical tagger compares it with the file as it loads it
    ([E203]), so the file is read and hashed once."""
    import json

    for cfg_name, data_name in CHECKED_FILES.items():
        cfg_path, data_path = path / cfg_name, path / data_name
        if not data_path.exists():
            continue  # a pipeline without that component (the component itself reports a missing file)
        try:
            expected = json.loads(cfg_path.read_text(encoding="utf-8")).get("sha256")
        except (OSError, ValueError, AttributeError) as e:
            raise ModelLoadError(f"cannot read {cfg_path} ({e}); the model is damaged: copy it again or retrain "
                                 "it with `kner train`", "E003") from None
        if not isinstance(expected, str) or len(expected) != 64:
            raise ModelLoadError(f"{cfg_path} has no sha256 for {data_name}, so the file cannot be checked; "
                                 "copy the model again or retrain it with `kner train`", "E003")


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


def load(model: str | os.PathLike | None = "default", lexicons: Sequence[str | os.PathLike] = (),
         threads: int = 1) -> Language:
    """Load a trained pipeline (or rules only with model=None/"rules") and add user lexicons to its rules.

    `threads` is Kiwi's thread count (1 in every process kner starts: processes are its parallelism).
    """
    _register_components()
    path = resolve_model(default_model() if model == "default" else model)
    if path is None:
        nlp = blank(threads)
        nlp.add_pipe("kner_rules")
        nlp.add_pipe("kner_merge")
        nlp.add_pipe("kner_canonical")
        nlp.add_pipe("kner_ents")
        nlp.meta.update({"name": "kner-rules", "version": __version__})
    else:
        verify_checksums(path)
        try:
            nlp = _with_threads(spacy.load(path), threads)
        except (OSError, ValueError, KeyError, TypeError) as e:
            coded = re.match(r"\[(E\d{3})\] (.*)", str(e), re.S)  # the statistical tagger's own errors keep their code
            if coded:
                raise ModelLoadError(f"the model at {path}: {coded.group(2)}", coded.group(1)) from e
            raise ModelLoadError(f"cannot load the model at {path}: {e}", "E002") from e
    if lexicons:
        rules = nlp.get_pipe("kner_rules")
        for lexicon in lexicons:
            rules.add_lexicon(lexicon)
    return nlp


def model_name(nlp: Language) -> str:
    """`name-version` of the loaded pipeline, written on every record."""
    return f"{nlp.meta.get('name', 'pipeline')}-{nlp.meta.get('version', '0.0.0')}"
