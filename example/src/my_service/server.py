"""Serving: uvicorn for one process (with reload in development), gunicorn managing uvicorn
workers for several. Both give in-flight requests ``GRACEFUL_TIMEOUT`` seconds on SIGTERM, then
exit with status 0."""

import os
import signal
import sys
from pathlib import Path
from typing import Any

import uvicorn

from .config import Settings
from .logging import configure_logging

APP = f"{__package__}.main:app"
GUNICORN_CONFIG = f"python:{__package__}.gunicorn_conf"
PACKAGE_DIR = Path(__file__).parent


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """What both ways of serving share."""
    return {
        "log_config": None,  # the app configures logging (logging.py)
        "access_log": False,  # the pipeline's access_log stage writes it
        "server_header": False,
        "timeout_graceful_shutdown": settings.graceful_timeout,
        # Client address and scheme from X-Forwarded-* only when a trusted proxy sent them.
        "proxy_headers": True,
        "forwarded_allow_ips": settings.forwarded_allow_ips,
    }


def exit_cleanly(signum: int, frame: object) -> None:
    raise SystemExit(0)


def serve(settings: Settings, app: str = APP, *, preload: bool = False) -> None:
    """Serve ``app`` (an import string, ``module:attribute``) as configured; with ``preload``
    and several workers, gunicorn builds the app before forking them."""
    if settings.workers > 1:
        # gunicorn replaces this process, so it receives the container's signals directly.
        # Fixed arguments and no shell: nothing for the security linters to worry about.
        argv = [sys.executable, "-m", "gunicorn", "--config", GUNICORN_CONFIG, app]
        argv += ["--preload"] * preload
        os.execv(sys.executable, argv)  # noqa: S606  # nosec B606
    configure_logging(settings)  # for the reloader process too; the app configures its own
    # uvicorn catches SIGTERM, drains in-flight requests, then raises the signal again for the
    # handler that was there before it: make that a clean exit rather than death by signal.
    signal.signal(signal.SIGTERM, exit_cleanly)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        reload=settings.reload_enabled,
        # The code only: a SQLite file under var/ or anything else written beside it is not a
        # change to reload for.
        reload_dirs=[str(PACKAGE_DIR)],
        **uvicorn_options(settings),
    )
