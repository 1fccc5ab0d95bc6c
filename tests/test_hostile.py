"""Hostile inputs, table-driven: every case of issue 15 gives a clear `error: [Ennn]` line (or the right result),
never a traceback or a hang, and the good records around it are still written.

Each case builds its files in a fresh folder, runs one command in-process and checks the exit status, the
messages and what was written. The cases that need a real process (pools, devices) run `python -m kner`.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from kner.cli import app
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()
GOOD_TEXT = "충북도는 이차전지 산업 육성 협의회를 열었다."


def good(i: int) -> str:
    return json.dumps({"id": f"g{i}", "text": GOOD_TEXT}, ensure_ascii=False)


def jsonl(tmp: Path, name: str, *lines: str) -> str:
    (tmp / name).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(tmp / name)


def ids(path: Path) -> list[str]:
    opener = gzip.open if path.read_bytes()[:2] == b"\x1f\x8b" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line)["id"] for line in f]


def annotate(*args: str) -> list[str]:
    return ["annotate", *args, "-m", "rules", "-q"]


DEEP = "[" * 100_000 + "]" * 100_000
BAD_SCORE = json.dumps({"id": "sc", "text": "구미시",
                        "spans": [{"start": 0, "end": 3, "label": "LOC", "score": "high"}]}, ensure_ascii=False)
SURROGATE_TEXT = '{"id": "s", "text": "앞\\ud800뒤"}'
SURROGATE_ID = '{"id": "\\udc80x", "text": "구미시는 말했다"}'


def gold_line(start, end=3, rid="o") -> str:
    return json.dumps({"id": rid, "text": "구미시는", "spans": [{"start": start, "end": end, "label": "LOC"}]},
                      ensure_ascii=False)


def lexicon_bytes(encoding: str = "utf-8", bom: bool = False) -> bytes:
    text = "term\tlabel\tcanonical\tkind\tcheck\n한빛소재\tORG\t\t\t\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


@dataclass
class Case:
    name: str
    setup: Callable[[Path], list[str]]  # builds files, returns the command's arguments
    status: int
    says: tuple[str, ...] = ()  # substrings of the output (stdout and stderr)
    check: Callable[[Path], None] | None = None  # what was written
    extra: dict = field(default_factory=dict)


def _annotated(*expected: str):
    def check(tmp: Path) -> None:
        assert ids(tmp / "out.jsonl") == list(expected)

    return check


def _lexicon_case(name, data, status, says, found=True):
    def setup(tmp):
        (tmp / "lex.tsv").write_bytes(data)
        src = jsonl(tmp, "in.jsonl", json.dumps({"id": "a", "text": "㈜한빛소재가 투자했다."}, ensure_ascii=False))
        return annotate(src, "-o", str(tmp / "out.jsonl"), "-l", str(tmp / "lex.tsv"))

    def check(tmp):
        if found:
            spans = json.loads((tmp / "out.jsonl").read_text(encoding="utf-8"))["spans"]
            assert any(s["text"].endswith("한빛소재") for s in spans)
        else:
            assert not (tmp / "out.jsonl").exists() and not (tmp / "out.jsonl.partial").exists()

    return Case(name, setup, status, says, check)


def _cp949_name(tmp: Path) -> list[str]:
    folder = tmp / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD_TEXT, encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), "기사".encode("cp949") + b".txt"), "wb") as f:
        f.write(GOOD_TEXT.encode())
    return annotate(str(folder), "-o", str(tmp / "out.jsonl"))


def _huge_gzip_line(tmp: Path) -> list[str]:
    with gzip.open(tmp / "in.jsonl.gz", "wb") as f:
        f.write(good(1).encode() + b"\n" + b'{"text": "' + b"a" * (3 << 20) + b'"}\n' + good(2).encode() + b"\n")
    return annotate(str(tmp / "in.jsonl.gz"), "-o", str(tmp / "out.jsonl"), "--max-chars", "1000")


def _blank_gzip(tmp: Path) -> list[str]:
    with gzip.open(tmp / "blank.jsonl.gz", "wb") as f:
        f.write(good(1).encode() + b"\n" + b"\n" * (8 << 20) + good(2).encode() + b"\n")
    return annotate(str(tmp / "blank.jsonl.gz"), "-o", str(tmp / "out.jsonl"), "--max-chars", "1000")


def _labelstudio_not_objects(tmp: Path) -> list[str]:
    region = {"id": "r", "from_name": "label", "to_name": "text", "type": "labels",
              "value": {"start": 0, "end": 3, "text": "구미시", "labels": ["LOC"]}}
    tasks = [
        {"id": 1, "data": {"text": "구미시는"}, "annotations": [5, {"result": [7, region]}], "predictions": [286]},
        {"id": 2, "data": {"text": "구미시는"}, "annotations": [], "predictions": [286, 287]},
        {"id": 3, "data": {"text": "구미시는"}, "annotations": [{"result": "x", "was_cancelled": False}]},
        {"id": 4, "data": {"text": "구미시는"}, "annotations": {"result": [region]}},
    ]
    (tmp / "ls.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return ["import", str(tmp / "ls.json"), "-o", str(tmp / "out.jsonl")]


def _tampered_model(tmp: Path) -> list[str]:
    model = tmp / "model"
    shutil.copytree(REPO / "models" / "kner-ko", model)
    cfg = model / "kner_model" / "cfg.json"
    data = json.loads(cfg.read_text())
    del data["sha256"]
    cfg.write_text(json.dumps(data))
    crf = model / "kner_model" / "model.crfsuite"
    crf.write_bytes(crf.read_bytes()[:100_000])
    return ["annotate", jsonl(tmp, "in.jsonl", good(1)), "-o", str(tmp / "out.jsonl"), "-m", str(model), "-q"]


def _nfd(tmp: Path) -> list[str]:
    text = "충북도는 이차전지 산업 육성 협의회를 열었다. 경상남도 창원시도 참석했다."
    src = jsonl(tmp, "in.jsonl", json.dumps({"id": "nfc", "text": text}, ensure_ascii=False),
                json.dumps({"id": "nfd", "text": unicodedata.normalize("NFD", text)}, ensure_ascii=False))
    return annotate(src, "-o", str(tmp / "out.jsonl"))


def _nfd_check(tmp: Path) -> None:
    nfc, nfd = (json.loads(line) for line in (tmp / "out.jsonl").read_text(encoding="utf-8").splitlines())
    assert nfd["text"] == unicodedata.normalize("NFD", nfc["text"])  # the input text, unchanged
    assert len(nfd["spans"]) == len(nfc["spans"]) > 0
    for a, b in zip(nfc["spans"], nfd["spans"], strict=True):
        assert nfd["text"][b["start"]:b["end"]] == b["text"]
        assert unicodedata.normalize("NFC", b["text"]) == a["text"] and a["label"] == b["label"]


def _gz_roundtrip(tmp: Path) -> list[str]:
    src = jsonl(tmp, "in.jsonl", good(1), good(2))
    result = runner.invoke(app, annotate(src, "-o", str(tmp / "out.jsonl.gz")))
    assert result.exit_code == 0, result.output
    return ["evaluate", str(tmp / "out.jsonl.gz"), str(tmp / "out.jsonl.gz"), "--bootstrap", "0"]


def _gz_export(tmp: Path) -> list[str]:
    _gz_roundtrip(tmp)
    return ["export", str(tmp / "out.jsonl.gz"), "--to", "conll", "-o", str(tmp / "out.conll")]


CASES = [
    Case("lone surrogate in text", lambda t: annotate(jsonl(t, "in.jsonl", good(1), SURROGATE_TEXT, good(2)),
                                                          "-o", str(t / "out.jsonl")),
         1, ("[E418]", "in.jsonl:2", "lone UTF-16 surrogate"), _annotated("g1", "g2")),
    Case("lone surrogate in id", lambda t: annotate(jsonl(t, "in.jsonl", SURROGATE_ID),
                                                    "-o", str(t / "out.jsonl")),
         0, ("warning: [E418]",), _annotated("\ufffdx")),
    Case("deep nesting in annotate", lambda t: annotate(jsonl(t, "in.jsonl", good(1), DEEP, good(2)),
                                                        "-o", str(t / "out.jsonl")),
         1, ("[E417]", "in.jsonl:2"), _annotated("g1", "g2")),
    Case("deep nesting in evaluate", lambda t: ["evaluate", jsonl(t, "g.jsonl", gold_line(0), DEEP),
                                                jsonl(t, "p.jsonl", gold_line(0)), "--bootstrap", "0"],
         0, ("[E417]", "g.jsonl:2")),
    Case("deep nesting in import", lambda t: ["import", jsonl(t, "g.jsonl", gold_line(0), DEEP), "-o",
                                              str(t / "out.jsonl")],
         1, ("[E417]",), _annotated("o")),
    Case("span score 'high' in annotate input", lambda t: annotate(jsonl(t, "in.jsonl", good(1), BAD_SCORE, good(2)),
                                                                  "-o", str(t / "out.jsonl")),
         1, ("[E414]", "'score' must be a number"), _annotated("g1", "g2")),
    Case("span score 'high' in import", lambda t: ["import", jsonl(t, "in.jsonl", BAD_SCORE, gold_line(0)), "-o",
                                                   str(t / "out.jsonl")],
         1, ("'score' must be a number",), _annotated("o")),
    Case("offsets 0.7, true and '0' refused by import",
         lambda t: ["import", jsonl(t, "in.jsonl", gold_line(0.7, rid="a"), gold_line(True, rid="b"),
                                    gold_line("0", rid="c"), gold_line(0, rid="d")), "-o", str(t / "out.jsonl")],
         1, ("integer 'start'",), _annotated("d")),
    Case("offsets 0.7 refused by evaluate", lambda t: ["evaluate", jsonl(t, "g.jsonl", gold_line(0)),
                                                       jsonl(t, "p.jsonl", gold_line(0.7)), "--bootstrap", "0"],
         0, ("integer 'start'", "no prediction record")),
    Case("CP949 file name in a folder", _cp949_name, 0, ("warning: [E420]", "not valid UTF-8"),
         _annotated("a", "\ufffd\ufffd\ufffd\ufffd")),
    Case("/dev/zero", lambda t: annotate("/dev/zero", jsonl(t, "in.jsonl", good(1)), "-o", str(t / "out.jsonl"),
                                         "--max-chars", "1000"),
         1, ("[E416]", "/dev/zero"), _annotated("g1")),
    Case("/dev/zero named as JSONL", lambda t: annotate(str(_link(t, "/dev/zero", "zero.jsonl")),
                                                        jsonl(t, "in.jsonl", good(1)), "-o", str(t / "out.jsonl")),
         1, ("[E411]", "binary"), _annotated("g1")),
    Case("gzip holding one huge line", _huge_gzip_line, 1, ("[E416]", "over the limit"), _annotated("g1", "g2")),
    Case("gzip of blank lines", _blank_gzip, 1, ("[E416]", "blank lines"), _annotated("g1")),
    Case("gzip input without .gz in its name",
         lambda t: (t.joinpath("in.jsonl").write_bytes(gzip.compress((good(1) + "\n").encode())),
                    annotate(str(t / "in.jsonl"), "-o", str(t / "out.jsonl")))[1],
         0, (), _annotated("g1")),
    _lexicon_case("lexicon saved as UTF-8 with BOM", lexicon_bytes(bom=True), 0, ()),
    _lexicon_case("lexicon in CP949", lexicon_bytes("cp949"), 0, ("W103",)),
    _lexicon_case("empty lexicon", b"", 1, ("[E102]", "empty"), found=False),
    _lexicon_case("space-separated lexicon", b"term label canonical kind check\n", 1, ("[E101]", "spaces"),
                  found=False),
    Case("output is an existing folder, with --force",
         lambda t: ((t / "dir").mkdir(), annotate(jsonl(t, "in.jsonl", good(1)), "-o", str(t / "dir"), "--force"))[1],
         1, ("[E302]", "is a directory")),
    Case("output on a full disk (/dev/full)", lambda t: annotate(jsonl(t, "in.jsonl", good(1)), "-o", "/dev/full"),
         1, ("[E303]", "No space left")),
    Case("evaluate --html in a folder that does not exist",
         lambda t: ["evaluate", jsonl(t, "g.jsonl", gold_line(0)), jsonl(t, "p.jsonl", gold_line(0)), "--bootstrap",
                    "0", "--html", str(t / "nodir" / "r.html")],
         0, (), lambda t: (t / "nodir" / "r.html").is_file() or pytest.fail("no report")),
    Case("Label Studio items that are not objects", _labelstudio_not_objects, 1, ("not objects", "must be a list"),
         _annotated("1", "4")),
    Case("binary file given to import", lambda t: (t.joinpath("x.json").write_bytes(bytes(range(256)) * 8),
                                                   ["import", str(t / "x.json"), "-o", str(t / "out.jsonl")])[1],
         1, ("[E411]", "binary")),
    Case("binary file given to evaluate", lambda t: (t.joinpath("x.jsonl").write_bytes(bytes(range(256)) * 8),
                                                     ["evaluate", str(t / "x.jsonl"), "--bootstrap", "0"])[1],
         1, ("[E411]", "binary")),
    Case("truncated model without its sha256", _tampered_model, 1, ("[E003]", "no sha256")),
    Case("input is the output, with --resume",
         lambda t: annotate(jsonl(t, "out.jsonl", good(1)), "-o", str(t / "out.jsonl"), "--resume"),
         1, ("[E305]", "also an input")),
    Case("output inside an input folder, --force",
         lambda t: (t.joinpath("a.jsonl").write_text(good(1) + "\n", encoding="utf-8"),
                    t.joinpath("out.jsonl").write_text(good(2) + "\n", encoding="utf-8"),
                    annotate(str(t), "--glob", "*.jsonl", "-o", str(t / "out.jsonl"), "--force"))[2],
         0, ("warning: [E305]", "own output"), _annotated("g1")),
    Case("empty folder", lambda t: ((t / "empty").mkdir(), annotate(str(t / "empty"), "-o", str(t / "out.jsonl")))[1],
         1, ("[E400]",)),
    Case("--glob matching nothing", lambda t: (t.joinpath("a.txt").write_text(GOOD_TEXT, encoding="utf-8"),
                                              annotate(str(t), "-o", str(t / "out.jsonl"), "--glob", "*.md"))[1],
         1, ("[E400]", "*.md")),
    Case("NFD Hangul", _nfd, 0, (), _nfd_check),
    Case("evaluate reads annotate's .gz output", _gz_roundtrip, 0, ("2 documents",)),
    Case("export reads annotate's .gz output", _gz_export, 0, ("wrote 2 records",)),
]


def _link(tmp: Path, target: str, name: str) -> Path:
    os.symlink(target, tmp / name)
    return tmp / name


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case: Case, tmp_path: Path):
    args = case.setup(tmp_path)
    result = runner.invoke(app, args)
    output = result.output
    assert result.exit_code == case.status, output
    assert "Traceback" not in output, output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    for text in case.says:
        assert text in output, output
    if case.status:
        assert "error: [E" in output, output
    if case.check is not None:
        case.check(tmp_path)


def test_read_only_folder_is_refused_before_work(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    result = runner.invoke(app, annotate(jsonl(tmp_path, "in.jsonl", good(1)), "-o", str(folder / "out.jsonl")))
    assert result.exit_code == 1 and "[E303]" in result.output


def test_a_disk_with_no_space_is_refused_before_work(tmp_path, monkeypatch):
    import kner.output

    monkeypatch.setattr(kner.output.shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(10, 10, 0))
    result = runner.invoke(app, annotate(jsonl(tmp_path, "in.jsonl", good(1)), "-o", str(tmp_path / "out.jsonl")))
    assert result.exit_code == 1 and "[E304]" in result.output


def test_the_pandas_loader_follows_the_same_rules(tmp_path):
    import warnings

    from kner import load_annotations
    from kner.errors import RecordError

    path = jsonl(tmp_path, "a.jsonl", gold_line(0), DEEP, gold_line(0.7, rid="f"), gold_line(True, rid="b"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = load_annotations(path, errors="skip")
    assert list(df["doc_id"]) == ["o"]
    assert len(caught) == 3 and "E417" in str(caught[0].message)
    with pytest.raises(RecordError, match="a.jsonl:2"):
        load_annotations(path)


def _kner(*args: str, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kner", *args], capture_output=True, text=True, timeout=timeout,
                          cwd=REPO, **kwargs)


@pytest.mark.slow
@pytest.mark.parametrize("mistake", ["missing model", "tampered model", "bad lexicon"])
def test_a_start_up_error_with_two_jobs_ends_the_run(tmp_path, mistake):
    args = ["annotate", jsonl(tmp_path, "in.jsonl", good(1), good(2)), "-o", str(tmp_path / "out.jsonl"), "-j", "2",
            "-q"]
    if mistake == "missing model":
        args += ["-m", "/nonexistent"]
    elif mistake == "tampered model":
        args = _tampered_model(tmp_path)[:-1] + ["-j", "2", "-q"]
    else:
        (tmp_path / "bad.tsv").write_bytes(b"")
        args += ["-m", "rules", "-l", str(tmp_path / "bad.tsv")]
    done = _kner(*args, timeout=60)  # a respawn loop would time out here
    assert done.returncode == 1 and "error: [E" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_a_pool_worker_that_fails_to_start_ends_the_run():
    """Past the check in the main process (a file that changes in between, a worker out of memory): the pool's
    worker fails, and the run ends with its error instead of starting workers forever."""
    from kner.annotate import _annotated_lines
    from kner.errors import ModelLoadError
    from kner.records import Record

    records = [Record(id=str(i), text=GOOD_TEXT) for i in range(3)]
    with pytest.raises(ModelLoadError, match="could not load") as e:
        list(_annotated_lines(records, "/nonexistent", [], False, 2))
    assert e.value.code == "E004"
