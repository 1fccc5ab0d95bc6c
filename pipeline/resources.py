"""Where kner's data files are: inside the installed package (a wheel) or in the repository (a checkout).

pyproject.toml maps seeds/lexicons, data/silver and models to the packages kner.lexicons, kner.templates and
kner.models, so a wheel carries the built-in lexicons, the synthetic-sentence templates and the shipped model as
package data. An editable install runs from the checkout, where the same files sit in their own folders.
Training data (data/klue-ner, seeds/gold.jsonl) stays out of the wheel: `kner train` needs a checkout.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from .errors import CheckoutError

PACKAGE = Path(str(files(__package__)))  # site-packages/kner from a wheel; pipeline/ in a checkout
CHECKOUT = PACKAGE.parent if PACKAGE.name == "pipeline" and (PACKAGE.parent / "pyproject.toml").is_file() else None


def data_dir(packaged: str, in_checkout: str) -> Path:
    """Folder `packaged` of the installed package, else `in_checkout` (relative to the repository root)."""
    installed = PACKAGE / packaged
    if installed.is_dir() or CHECKOUT is None:
        return installed
    return CHECKOUT / in_checkout


def checkout(what: str) -> Path:
    """The repository root, or a CheckoutError saying that `what` needs one."""
    if CHECKOUT is None:
        raise CheckoutError(
            f"{what} needs a kner checkout: it trains on data/klue-ner and keeps the names of "
            f"seeds/gold.jsonl out of its synthetic sentences, and the wheel installed in {PACKAGE.parent} "
            "ships neither. Clone the repository and run `pip install -e .` there"
        )
    return CHECKOUT


LEXICONS = data_dir("lexicons", "seeds/lexicons")
TEMPLATES = data_dir("templates", "data/silver")
MODELS = data_dir("models", "models")
