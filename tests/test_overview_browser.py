"""The `kner report` page in a real browser: headless Chromium (Debian's packages) driven by Selenium.

It loads the report of the seed articles (annotated here with --model rules), searches for a name, opens its
mentions, filters the article browser by that name and by label, searches the articles, opens one and checks what
is drawn: highlights in the render colours, canonical name, source and score on hover. Screenshots go to pytest's
tmp dir and, when KNER_ARTEFACTS is set, to that directory (CI keeps them).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from browser import chromium, missing, open_report
from kner.records import COLORS

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.slow, pytest.mark.skipif(missing() is not None, reason=str(missing()))]


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    """The seed articles annotated with the rule tagger, their records, and the report page."""
    from kner.annotate import run
    from kner.overview import write_report

    tmp = tmp_path_factory.mktemp("overview")
    annotations = tmp / "seeds.jsonl"
    run([str(ROOT / "seeds")], str(annotations), model="rules", quiet=True)
    page = tmp / "seeds.html"
    write_report(annotations, page, title="kner report: seeds")
    records = [json.loads(line) for line in annotations.open(encoding="utf-8")]
    return page, records


def wait_for(condition, timeout: float = 10):
    """Poll `condition()` until it returns something truthy (the page redraws 150 ms after typing)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"condition not met within {timeout} s")


def keep(driver, tmp_path: Path, name: str) -> None:
    """Save a screenshot as a test artefact."""
    shot = tmp_path / name
    driver.save_screenshot(str(shot))
    if os.environ.get("KNER_ARTEFACTS"):
        Path(os.environ["KNER_ARTEFACTS"]).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(os.environ["KNER_ARTEFACTS"]) / name)


def rgba(hex_colour: str) -> str:
    """#7aecec as Selenium reports a computed colour."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, 1)"


def test_search_filter_and_open_an_article(seed_report, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    page, records = seed_report
    by_id = {r["id"]: r for r in records}
    with chromium() as driver:
        ms = open_report(driver, page)
        assert ms < 10_000
        assert "5 articles" in driver.find_element(By.ID, "summary").text
        # nothing was fetched: the page is one file (its CSP forbids any other source)
        assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0

        # search for a name: 충북 finds 충청북도 (canonical of 충북도, 충북, Chungbuk Province)
        driver.find_element(By.ID, "ent-search").send_keys("충북")
        wait_for(lambda: "matching “충북”" in driver.find_element(By.ID, "ent-count").text)
        rows = driver.find_elements(By.CSS_SELECTOR, "#ent-table tr[data-e]")
        assert [r.text for r in rows][0] == "충청북도 1 8"  # 1 article, 8 mentions: the most mentioned match
        rows[0].click()
        wait_for(lambda: driver.find_element(By.CSS_SELECTOR, "#kwic h3").text.startswith("충청북도"))
        lines = driver.find_elements(By.CSS_SELECTOR, "#kwic-lines > div")
        assert len(lines) == 8
        assert {line.find_element(By.TAG_NAME, "mark").text for line in lines} == {
            "충북도", "충북", "Chungbuk Province", "Chungbuk"}
        assert all(line.text.startswith("000_1bef1baeac7d5426") for line in lines)
        keep(driver, tmp_path, "overview-names.png")

        # the articles naming it
        driver.find_element(By.CSS_SELECTOR, "#kwic a[data-filter]").click()
        wait_for(lambda: driver.find_element(By.ID, "doc-count").text.startswith("1 of 5 articles"))
        assert "충청북도" in driver.find_element(By.ID, "doc-chips").text
        driver.find_element(By.CSS_SELECTOR, "#doc-chips button").click()
        wait_for(lambda: driver.find_element(By.ID, "doc-count").text.startswith("5 of 5 articles"))

        # filter by label, then search the articles for a name
        with_programme = sum(any(s["label"] == "PROGRAM" for s in r["spans"]) for r in records)
        assert with_programme == 4
        Select(driver.find_element(By.ID, "doc-label")).select_by_visible_text("PROGRAM")
        wait_for(lambda: driver.find_element(By.ID, "doc-count").text.startswith(f"{with_programme} of 5"))
        Select(driver.find_element(By.ID, "doc-label")).select_by_visible_text("LOC")
        driver.find_element(By.ID, "doc-search").send_keys("사할린")
        wait_for(lambda: driver.find_element(By.ID, "doc-count").text.startswith("1 of 5"))
        row = driver.find_element(By.CSS_SELECTOR, "#doc-list li")
        doc_id = row.find_element(By.CLASS_NAME, "id").text
        assert "사할린" in by_id[doc_id]["text"]

        # open it: every span drawn in its label's colour, canonical, source and score on hover
        row.click()
        wait_for(lambda: driver.find_element(By.CSS_SELECTOR, "#doc-view h3").text == doc_id)
        marks = driver.find_elements(By.CSS_SELECTOR, "#doc-text mark")
        spans = by_id[doc_id]["spans"]
        assert len(marks) == len(spans)
        for mark, span in zip(marks, spans, strict=True):
            assert mark.get_attribute("textContent") == span["text"] + span["label"]  # text, then its tag
            assert mark.value_of_css_property("background-color") == rgba(COLORS[span["label"]])
            assert f"source: {span['source']}" in mark.get_attribute("title")
        sakhalin = next(m for m, s in zip(marks, spans, strict=True) if s["text"] == "사할린")
        assert sakhalin.get_attribute("title").startswith("LOC\ncanonical: 사할린")  # every span has a canonical name
        keep(driver, tmp_path, "overview-article.png")

        # from a mention in context to its place in the article: 충북도 with its canonical name on hover
        driver.find_element(By.CSS_SELECTOR, "#ent-tabs [data-label=ORG]").click()  # the search "충북" stays
        wait_for(lambda: "ORG names matching “충북”" in driver.find_element(By.ID, "ent-count").text)
        driver.find_element(By.CSS_SELECTOR, "#ent-table tr[data-e]").click()
        wait_for(lambda: driver.find_element(By.CSS_SELECTOR, "#kwic h3").text.startswith("충청북도"))
        driver.find_element(By.CSS_SELECTOR, "#kwic-lines a[data-doc]").click()
        wait_for(lambda: driver.find_element(By.CSS_SELECTOR, "#doc-view h3").text == "000_1bef1baeac7d5426")
        focused = driver.find_elements(By.CSS_SELECTOR, "#doc-text mark.focus")
        assert len(focused) == 8
        title = focused[0].get_attribute("title")
        assert title.startswith("ORG\ncanonical: 충청북도\nsource: rule\nscore: 0.")
        severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert not severe, severe


def doc_screenshots(out: Path = ROOT / "docs") -> None:
    """docs/report-names.png and docs/report-article.png: the seed articles annotated with the shipped model."""
    import tempfile

    from kner.annotate import run
    from kner.overview import write_report
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    with tempfile.TemporaryDirectory() as tmp:
        annotations, page = Path(tmp) / "seeds.jsonl", Path(tmp) / "seeds.html"
        run([str(ROOT / "seeds")], str(annotations), quiet=True)
        write_report(annotations, page, title="kner report: seeds/ (kner annotate seeds/ -o seeds.jsonl)")
        with chromium(1280, 860) as driver:
            open_report(driver, page)
            driver.find_element(By.CSS_SELECTOR, "#ent-tabs [data-label=PROGRAM]").click()
            driver.find_element(By.CSS_SELECTOR, "#ent-table tr[data-e]").click()
            wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#kwic-lines > div"))
            driver.execute_script("document.getElementById('entities').scrollIntoView()")
            ActionChains(driver).move_to_element(driver.find_element(By.CSS_SELECTOR, "#entities h2")).perform()
            driver.save_screenshot(str(out / "report-names.png"))
            driver.find_elements(By.CSS_SELECTOR, "#kwic-lines a[data-doc]")[2].click()
            wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#doc-text mark.focus"))
            driver.execute_script("document.getElementById('articles').scrollIntoView()")
            ActionChains(driver).move_to_element(driver.find_element(By.CSS_SELECTOR, "#articles h2")).perform()
            driver.save_screenshot(str(out / "report-article.png"))
    print(f"wrote {out / 'report-names.png'} and {out / 'report-article.png'}")


if __name__ == "__main__":
    doc_screenshots()
