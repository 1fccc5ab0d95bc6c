"""Headless Chromium from Debian's packages (chromium, chromium-driver) driven by Selenium, for the report's page."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync")


def missing() -> str | None:
    """Why the browser cannot run here, or None."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).is_file():
            return f"{path} not found: apt-get install chromium chromium-driver (.ci/run does)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium not installed: pip install -e '.[test]'"
    return None


@contextmanager
def chromium(width: int = 1400, height: int = 1000) -> Iterator:
    """A fresh headless Chromium (own profile directory, no network services) as a Selenium driver."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kner-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # with the driver's path given too, Selenium Manager never downloads one
    for arg in (*ARGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_report(driver, path: str | Path, timeout: float = 60) -> int:
    """Load a `kner report` page and wait until its script has drawn it; returns ms from navigation to that."""
    driver.get(Path(path).resolve().as_uri())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, error = driver.execute_script("return [document.body.dataset.ready, document.body.dataset.error]")
        if error:
            raise AssertionError(f"the page's script failed: {error}")
        if ready:
            return int(ready)
        time.sleep(0.05)
    raise TimeoutError(f"{path} was not drawn within {timeout} s")
