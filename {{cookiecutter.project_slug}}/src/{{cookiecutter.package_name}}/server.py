"""Serving: uvicorn for one process (with reload in development), gunicorn managing uvicorn
workers for several. Both give in-flight requests ``GRACEFUL_TIMEOUT`` seconds on SIGTERM."""

import os
import sys

import uvicorn

from .config import Settings

APP = f"{__package__}.main:app"
GUNICORN_CONFIG = f"python:{__package__}.gunicorn_conf"


def serve(settings: Settings) -> None:
    if settings.workers > 1:
        # gunicorn replaces this process, so it receives the container's signals directly.
        argv = [sys.executable, "-m", "gunicorn", "--config", GUNICORN_CONFIG, APP]
        os.execv(sys.executable, argv)  # noqa: S606 (fixed arguments, no shell)
    uvicorn.run(
        APP,
        host=settings.host,
        port=settings.port,
        reload=settings.reload_enabled,
        log_config=None,  # the app configures logging (logging.py)
        access_log=False,  # TimingMiddleware writes the access log
        server_header=False,
        timeout_graceful_shutdown=settings.graceful_timeout,
    )
