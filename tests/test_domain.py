"""The domain gold corpus (data/domain): markup strips back to the raw text, the split files are up to date."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

DOMAIN = Path(__file__).resolve().parent.parent / "data" / "domain"
spec = importlib.util.spec_from_file_location("domain_build", DOMAIN / "build.py")
build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build)


def test_every_marked_article_strips_back_to_its_raw_text():
    for folder in ("marked", "marked2"):
        for article_id, (text, spans) in build.read_pass(folder).items():
            assert build.problems_of(article_id, build.raw_text(article_id), text, spans) == []


def test_committed_split_files_are_what_build_writes():
    marked = build.read_pass("marked")
    for name, _ in build.SPLITS:
        lines = (DOMAIN / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        records = [json.loads(line) for line in lines]
        assert {r["id"] for r in records} == {i for i in marked if build.split_of(i) == name}
        for rec in records:
            text, spans = marked[rec["id"]]
            assert rec["text"] == text and rec["spans"] == spans
            for s in rec["spans"]:
                assert 0 <= s["start"] < s["end"] <= len(text)


def test_markup_offsets_are_exact():
    marked = "[[충북도|ORG]]는 [[청주 그랜드플라자 호텔|LOC]]에서 ‘[[소부장 특화단지|PROGRAM]]’"
    text, spans = build.strip_markup(marked)
    assert text == "충북도는 청주 그랜드플라자 호텔에서 ‘소부장 특화단지’"
    assert [text[s["start"]:s["end"]] for s in spans] == ["충북도", "청주 그랜드플라자 호텔", "소부장 특화단지"]


def test_split_is_fixed_by_the_id():
    assert [build.split_of(i) for i in ("w1-01", "w1-01")] == [build.split_of("w1-01")] * 2
    shares = [build.split_of(f"x{i}") for i in range(2000)]
    assert 0.6 < shares.count("train") / 2000 < 0.8
