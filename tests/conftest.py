"""Shared fixtures: one Kiwi-backed blank pipeline per test session (Kiwi takes seconds to build)."""

import pytest


@pytest.fixture(scope="session")
def blank_nlp():
    """A Korean Language with only the Kiwi tokenizer."""
    from kner.nlp import blank

    return blank()
