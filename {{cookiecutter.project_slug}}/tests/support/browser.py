"""A real browser for page tests: Chromium (or Chrome) headless, from ``CHROMIUM`` or the PATH.
Install it with ``apt-get install chromium`` (Debian, Ubuntu) or ``brew install chromium``."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Headless, no first-run work, and nothing fetched but the page itself.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)
# Where page tests leave their screenshots (the CI keeps them).
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "var/test-artifacts"))


def chromium() -> str:
    found = os.environ.get("CHROMIUM") or next(filter(None, map(shutil.which, NAMES)), None)
    assert found, "the page tests need Chromium: install it, or set CHROMIUM to its path"
    return found


def _run(*arguments: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(  # noqa: S603
            [chromium(), *FLAGS, f"--user-data-dir={profile}", *arguments],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    return result.stdout


def rendered_dom(url: str) -> str:
    """The page's DOM as the browser built it."""
    return _run("--dump-dom", url)


def screenshot(url: str, name: str) -> Path:
    """A screenshot of the page, kept as ``<ARTIFACTS>/<name>.png``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = (ARTIFACTS / f"{name}.png").resolve()
    _run(f"--screenshot={path}", "--window-size=1280,600", url)
    return path
