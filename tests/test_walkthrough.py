"""The README's "A first session", command by command, in a temporary directory, each output checked.

Runs `python -m kner` from this venv in a fresh folder where `seeds/` and `tests/data/` are links into the
checkout, so the commands are typed exactly as the README shows them.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def run(cwd, *args, timeout=600):
    done = subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


FIRST = """\
from spacy import displacy

from kner.display import COLORS
from kner.nlp import load

nlp = load()
doc = nlp("충북도는 30일 청주 그랜드플라자 호텔에서 이차전지 산업 육성 협의회를 개최했다.")
print([(e.text, e.label_) for e in doc.ents])
html = displacy.render(doc, style="ent", options={"colors": COLORS})
open("first.html", "w", encoding="utf-8").write(html)
"""


def test_a_first_session(tmp_path):
    os.symlink(ROOT / "seeds", tmp_path / "seeds")
    (tmp_path / "tests").mkdir()
    os.symlink(ROOT / "tests" / "data", tmp_path / "tests" / "data")

    # 1. annotate the seeds
    out = run(tmp_path, "-m", "kner", "annotate", "seeds/", "-o", "annotations.jsonl")
    assert "5 articles annotated" in out
    annotations = jsonl(tmp_path / "annotations.jsonl")
    assert len(annotations) == 5 and all(r["spans"] for r in annotations)

    # 2. evaluate on the seeds (gold ids are the file stems, so the records pair up)
    out = run(tmp_path, "-m", "kner", "evaluate", "seeds/gold.jsonl", "annotations.jsonl")
    assert "5 documents" in out
    f1 = re.search(r"^micro\s+\d+\s+\d+\s+[\d.]+\s+[\d.]+\s+([\d.]+)", out, re.M)
    assert f1 and float(f1.group(1)) > 0.7, out

    # 3. spaCy: doc.ents and displaCy
    (tmp_path / "first.py").write_text(FIRST, encoding="utf-8")
    out = run(tmp_path, "first.py")
    assert "('충북도', 'ORG')" in out and "'LOC')" in out, out
    html = (tmp_path / "first.html").read_text(encoding="utf-8")
    assert "충북도" in html and "ORG" in html

    # 4. export to Label Studio
    out = run(tmp_path, "-m", "kner", "export", "annotations.jsonl", "--to", "labelstudio", "-o", "tasks.json")
    assert "wrote 5 records to tasks.json (labelstudio)" in out and "<Labels" in out
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    assert len(tasks) == 5 and all(t["predictions"][0]["result"] for t in tasks)

    # 5. import a real Label Studio export (cancelled annotation, a task with none, a draft, prediction ids)
    out = run(tmp_path, "-m", "kner", "import", "tests/data/labelstudio-export.json", "--from", "labelstudio",
              "-o", "corrected.jsonl")
    assert "wrote 3 records to corrected.jsonl (kner)" in out and "only drafts" in out
    corrected = jsonl(tmp_path / "corrected.jsonl")
    assert [len(r["spans"]) for r in corrected] == [3, 5, 0]
    assert all(r["text"][s["start"]:s["end"]] == s["text"] for r in corrected for s in r["spans"])

    # 6. retrain on the corrections. The README shows the full command (KLUE + domain corpus + your gold, a few
    # minutes on 2 cores); here --no-klue --no-domain --silver 0 trains on corrected.jsonl alone,
    # so the step runs in well under a minute and still exercises the whole train-save-load path.
    # models/ is there in a checkout, not in tmp_path: `kner train -o` makes the missing parent folder
    out = run(tmp_path, "-m", "kner", "train", "-o", "models/my-model", "--gold", "corrected.jsonl", "--force",
              "--no-klue", "--no-domain", "--silver", "0")
    assert "saved models/my-model" in out
    loaded = run(tmp_path, "-c", "from kner.nlp import load; nlp = load('models/my-model'); print(nlp.pipe_names); "
                                 "print([(e.text, e.label_) for e in nlp('충북도는 청주에서').ents])")
    assert "kner_ents" in loaded and "('충북도', 'ORG')" in loaded, loaded
