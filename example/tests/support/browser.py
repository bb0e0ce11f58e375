"""A real browser for page tests: Chromium (or Chrome) headless, from ``CHROMIUM`` or the PATH.
Install it with ``apt-get install chromium`` (Debian, Ubuntu) or ``brew install chromium``."""

import os
import shutil
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

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


def _run(*arguments: str, settle_ms: int = 0, proxy: str | None = None) -> str:
    """Chromium on a page: ``settle_ms`` lets its scripts render (virtual time), and ``proxy``
    receives every request for a host other than this machine (loopback goes direct)."""
    options = [f"--virtual-time-budget={settle_ms}"] * bool(settle_ms)
    options += [f"--proxy-server={proxy}"] * bool(proxy)
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(  # noqa: S603
            [chromium(), *FLAGS, f"--user-data-dir={profile}", *options, *arguments],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    return result.stdout


def rendered_dom(url: str, *, settle_ms: int = 0, proxy: str | None = None) -> str:
    """The page's DOM as the browser built it."""
    return _run("--dump-dom", url, settle_ms=settle_ms, proxy=proxy)


def screenshot(url: str, name: str, *, settle_ms: int = 0, proxy: str | None = None) -> Path:
    """A screenshot of the page, kept as ``<ARTIFACTS>/<name>.png``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = (ARTIFACTS / f"{name}.png").resolve()
    arguments = (f"--screenshot={path}", "--window-size=1280,900", url)
    _run(*arguments, settle_ms=settle_ms, proxy=proxy)
    return path


# Chromium's own services (component updates, sign-in, network time), which it asks whatever
# the page and whichever flags: not the page's requests.
CHROMIUM_SERVICES = ("update.googleapis.com", "accounts.google.com", "clients2.google.com")


class OutsideRequests:
    """A proxy on loopback that records and refuses every request sent to it: given to the
    browser, it receives whatever a page asks of any host but this machine (``requested``;
    Chromium's own services aside)."""

    def __init__(self) -> None:
        self.requested: list[str] = []
        recorded = self.requested

        class Refuse(BaseHTTPRequestHandler):
            def _refuse(self) -> None:
                host = self.path.removeprefix("http://").partition("/")[0].partition(":")[0]
                if host not in CHROMIUM_SERVICES:
                    recorded.append(f"{self.command} {self.path}")
                self.send_error(502)

            do_CONNECT = do_GET = do_POST = do_HEAD = _refuse  # noqa: N815 (http.server's names)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> "OutsideRequests":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
