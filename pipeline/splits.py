"""The deterministic held-out split of KLUE: training, evaluation and benchmarks all use this one function."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import TypeVar

HELDOUT_PERCENT = 20  # share of KLUE sentences never used for training
_SALT = "kner-heldout-v1:"  # salted, so the split is independent of how data/klue-ner itself was sampled

T = TypeVar("T")


def is_heldout(record_id: str) -> bool:
    """True when the record with this id belongs to the held-out split (stable across runs and machines)."""
    digest = hashlib.sha1((_SALT + record_id).encode("utf-8")).hexdigest()
    return int(digest[:8], 16) % 100 < HELDOUT_PERCENT


def split(records: Iterable[T], heldout: bool) -> Iterator[T]:
    """The records (anything with an `id`) of the held-out part (`heldout=True`) or of the training part."""
    return (r for r in records if is_heldout(r.id) == heldout)
