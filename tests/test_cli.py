"""The command line as a user meets it: help, usage errors, --debug, pipes (`-`), devices, the terminal display."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from kner import annotate
from kner.cli import app
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()
ARTICLES = [{"id": "a", "text": "충북도는 이차전지 산업 육성 협의회를 열었다."},
            {"id": "b", "text": "경상남도 창원시는 소부장 특화단지를 추진한다."}]
JSONL = "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES)


def kner(*args: str, stdin: str | bytes = "", timeout: float = 120) -> subprocess.CompletedProcess:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run([sys.executable, "-m", "kner", *args], input=data, capture_output=True, timeout=timeout,
                          cwd=REPO, env={**os.environ, "COLUMNS": "200"})


# ---------------------------------------------------------------- help and errors (Typer pinned in pyproject.toml)

def test_the_cli_library_is_the_pinned_one():
    major, minor = (int(x) for x in version("typer").split(".")[:2])
    assert (major, minor) == (0, 29), "pyproject.toml pins typer>=0.29,<0.30; re-check these tests on a new range"


@pytest.mark.parametrize(("command", "options"), [
    ((), ("annotate", "evaluate", "export", "import", "train", "--version", "--debug")),
    (("annotate",), ("--output", "--resume", "--force", "--jobs", "--max-chars", "--glob", "--tokens", "--quiet",
                     "for stdin", "for stdout")),
    (("evaluate",), ("--html", "--json", "--fail-under", "--labels")),
    (("export",), ("--to", "--output", "for stdin", "for stdout")),
    (("import",), ("--from", "--text-key", "for stdin", "for stdout")),
])
def test_help_lists_every_command_and_option(command, options):
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"}, terminal_width=200, prog_name="kner")
    assert result.exit_code == 0
    assert f"Usage: kner {' '.join(command)}".rstrip() in result.output
    for option in options:
        assert option in result.output


def test_a_usage_mistake_is_one_error_line_with_status_2():
    done = kner("annotate", "seeds/", "--bogus")
    assert done.returncode == 2
    assert done.stderr.decode().startswith("error: [E900] No such option: --bogus")
    assert "Traceback" not in done.stderr.decode() and "╭" not in done.stderr.decode()
    missing = kner("annotate", "seeds/")
    assert missing.returncode == 2 and "error: [E900] Missing option" in missing.stderr.decode()


@pytest.mark.slow
def test_debug_adds_the_traceback(tmp_path):
    args = ["annotate", "seeds/", "-o", str(tmp_path / "o.jsonl"), "-m", "/nonexistent", "-q"]
    plain, debug = kner(*args), kner("--debug", *args)
    assert plain.returncode == debug.returncode == 1
    assert plain.stderr.decode().strip().startswith("error: [E001] no kner model at /nonexistent")
    assert "Traceback" not in plain.stderr.decode() and "Traceback" in debug.stderr.decode()


# ---------------------------------------------------------------- pipes and devices

def test_annotate_reads_stdin_and_writes_stdout():
    done = kner("annotate", "-", "-o", "-", "-m", "rules", "-q", stdin=JSONL)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [r["id"] for r in records] == ["a", "b"] and all(r["spans"] for r in records)
    assert "2 articles annotated" in done.stderr.decode()  # the summary goes to stderr, never into the data
    plain = kner("annotate", "-", "-o", "-", "-m", "rules", "-q", stdin=ARTICLES[0]["text"])
    assert json.loads(plain.stdout)["id"] == "stdin"


@pytest.mark.slow
def test_export_and_import_through_pipes():
    exported = kner("export", "-", "--to", "labelstudio", "-o", "-", stdin=kner(
        "annotate", "-", "-o", "-", "-m", "rules", "-q", stdin=JSONL).stdout)
    assert exported.returncode == 0, exported.stderr
    tasks = json.loads(exported.stdout)
    assert [t["data"]["id"] for t in tasks] == ["a", "b"]
    imported = kner("import", "-", "-o", "-", stdin=exported.stdout)
    assert imported.returncode == 0, imported.stderr
    assert [json.loads(line)["id"] for line in imported.stdout.decode().splitlines()] == ["a", "b"]
    conll = kner("export", "-", "--to", "conll", "-o", "-", stdin=imported.stdout)
    assert "B-ORG" in conll.stdout.decode() or "B-LOC" in conll.stdout.decode()


@pytest.mark.slow
def test_a_device_is_written_directly_never_renamed_over(tmp_path):
    done = kner("annotate", "-", "-o", "/dev/stdout", "--force", "-m", "rules", "-q", stdin=JSONL)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.decode().splitlines()) == 2
    assert not Path("/dev/stdout.partial").exists() and not Path("/dev/stdout.lock").exists()
    assert kner("annotate", "-", "-o", "-", "--resume", "-m", "rules", stdin=JSONL).returncode == 2


# ---------------------------------------------------------------- the terminal

class Terminal(io.StringIO):
    """stderr as a terminal sees it (tqdm draws its bar when isatty() is true)."""

    def isatty(self) -> bool:
        return True


def frames(screen: str) -> list[str]:
    """What was drawn, one item per redraw or line."""
    return [x for x in re.split(r"[\r\n]", screen.replace("\x1b[A", "")) if x.strip()]


def test_errors_print_above_the_bar_which_ends_at_100_percent(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(JSONL + "{broken\n\n\n" + JSONL.replace('"a"', '"c"').replace('"b"', '"d"'), encoding="utf-8")
    screen = Terminal()
    summary = annotate.run([str(src)], str(tmp_path / "out.jsonl"), model="rules", err=screen)
    assert summary.articles == 4 and len(summary.errors) == 1
    drawn = frames(screen.getvalue())
    assert drawn[0].startswith("loading model rules only")  # before the bar, which starts once it is loaded
    errors = [x for x in drawn if "error:" in x]
    assert errors and all(x.startswith("error: [E413]") for x in errors)  # on a line of its own, not glued
    assert re.search(r"100%\|.*\| 5/5 ", drawn[-1]), drawn[-1]  # the skipped line counted; blank lines not


def test_after_a_resume_the_bar_counts_the_kept_articles(tmp_path, monkeypatch):
    src = tmp_path / "in.jsonl"
    src.write_text(JSONL * 3, encoding="utf-8")  # six articles (ids repeat: kept with a warning)
    out = tmp_path / "out.jsonl"
    original = annotate.AtomicJsonlWriter.write
    calls = []

    def stop_after_two(writer, line):
        calls.append(line)
        if len(calls) > 2:
            raise KeyboardInterrupt
        original(writer, line)

    monkeypatch.setattr(annotate.AtomicJsonlWriter, "write", stop_after_two)
    with pytest.raises(KeyboardInterrupt):
        annotate.run([str(src)], str(out), model="rules", quiet=True, err=io.StringIO())
    monkeypatch.setattr(annotate.AtomicJsonlWriter, "write", original)
    screen = Terminal()
    summary = annotate.run([str(src)], str(out), model="rules", resume=True, err=screen)
    assert (summary.resumed, summary.articles) == (2, 4)
    assert re.search(r"100%\|.*\| 6/6 ", frames(screen.getvalue())[-1])
