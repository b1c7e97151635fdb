"""A real headless Chromium (Debian's), driven by Playwright; skipped where it is not installed."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """One browser for the session (starting Chromium is the slow part)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium to run browser tests")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


SCREENSHOTS_ENV = "JURYO_SCREENSHOTS"
_screenshot_folder: list[Path] = []


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the browser tests put screenshots of the main pages: ``$JURYO_SCREENSHOTS``
    (``make test`` names one), else a temporary folder of this run."""
    named = os.environ.get(SCREENSHOTS_ENV)
    folder = Path(named).resolve() if named else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    _screenshot_folder.append(folder)
    return folder


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say where the screenshots went, once the run is over."""
    for folder in _screenshot_folder:
        count = len(list(folder.glob("*.png")))
        terminalreporter.write_line(f"screenshots: {count} in {folder}")
