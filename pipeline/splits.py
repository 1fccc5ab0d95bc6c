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


MERGE_DEV_PERCENT = 10  # of KLUE's training part: kept from the CRF to fit the merge policy on
_DEV_SALT = "kner-merge-dev-v1:"


def is_merge_dev(record_id: str) -> bool:
    """True when a record of KLUE's training part is kept for fitting the merge (never when it is held out)."""
    digest = hashlib.sha1((_DEV_SALT + record_id).encode("utf-8")).hexdigest()
    return not is_heldout(record_id) and int(digest[:8], 16) % 100 < MERGE_DEV_PERCENT


def split(records: Iterable[T], heldout: bool) -> Iterator[T]:
    """The records (anything with an `id`) of the held-out part (`heldout=True`) or of the training part."""
    return (r for r in records if is_heldout(r.id) == heldout)
