"""Data files are found in a checkout and in an installed wheel; training says clearly that it needs a checkout."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from kner import resources
from kner.cli import app
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent


def test_a_checkout_reads_the_data_where_it_lives():
    assert resources.CHECKOUT == REPO
    assert resources.LEXICONS == REPO / "seeds" / "lexicons"
    assert resources.TEMPLATES == REPO / "data" / "silver"
    assert resources.MODELS == REPO / "models"
    from kner.lexicon import LEXICON_DIR
    from kner.nlp import MODELS_DIR
    from kner.silver import TEMPLATES

    assert LEXICON_DIR == resources.LEXICONS and MODELS_DIR == resources.MODELS
    assert TEMPLATES == resources.TEMPLATES / "templates.txt" and TEMPLATES.is_file()


def test_an_installed_package_reads_its_own_data(tmp_path, monkeypatch):
    (tmp_path / "kner" / "lexicons").mkdir(parents=True)
    monkeypatch.setattr(resources, "PACKAGE", tmp_path / "kner")
    monkeypatch.setattr(resources, "CHECKOUT", None)
    assert resources.data_dir("lexicons", "seeds/lexicons") == tmp_path / "kner" / "lexicons"
    assert resources.data_dir("models", "models") == tmp_path / "kner" / "models"  # missing: no checkout fallback


def test_train_outside_a_checkout_says_it_needs_one(tmp_path, monkeypatch):
    monkeypatch.setattr(resources, "CHECKOUT", None)
    with pytest.raises(resources.CheckoutError, match=r"\[E004\] kner train needs a kner checkout"):
        resources.checkout("kner train")
    result = CliRunner().invoke(app, ["train", "-o", str(tmp_path / "m")])
    assert result.exit_code == 1 and "needs a kner checkout" in result.output
    assert "pip install -e ." in result.output


@pytest.mark.slow
def test_the_wheel_carries_lexicons_templates_and_the_model_but_no_training_data(tmp_path):
    src = tmp_path / "src"  # a copy, so the build leaves no build/ folder in the checkout
    shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "-w", str(tmp_path), "--no-deps", "-q"],
                   check=True, capture_output=True)
    [wheel] = tmp_path.glob("kner-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("admin.tsv", "places.tsv", "orgs.tsv", "stop.tsv"):
        assert f"kner/lexicons/{name}" in names
    assert "kner/templates/templates.txt" in names
    for path in (REPO / "models" / "kner-ko").rglob("*"):
        if path.is_file():
            assert f"kner/models/{path.relative_to(REPO / 'models').as_posix()}" in names
    assert not [n for n in names if "klue" in n or "gold" in n or n.endswith(".txt") and "seeds" in n]
