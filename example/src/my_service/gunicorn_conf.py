"""gunicorn settings for several uvicorn workers, read from the service's Settings.

Loaded with ``gunicorn --config python:my_service.gunicorn_conf`` (what
``python -m my_service`` does when WORKERS > 1). It prepares Prometheus
multiprocess mode before any worker starts, so every scrape reports totals across workers.
"""

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from .config import METRICS_DIR_VARIABLE, get_settings
from .logging import configure_logging

_settings = get_settings()

bind = f"{_settings.host}:{_settings.port}"
workers = _settings.workers
worker_class = f"{__package__}.worker.Worker"
graceful_timeout = _settings.graceful_timeout
timeout = 60  # a worker silent this long is restarted
keepalive = 5
accesslog = None  # the pipeline's access_log stage writes it
loglevel = _settings.log_level.lower()
# The runtime control socket lives in $HOME, which a read-only container cannot write.
control_socket_disable = True
# Workers must see the metrics directory in their environment before they import the app.
_metrics_dir = Path(
    os.environ.setdefault(
        METRICS_DIR_VARIABLE,
        str(Path(tempfile.gettempdir()) / f"{__package__}-metrics-{os.getpid()}"),
    )
)


# An empty directory (old files would add stale counts), made when this configuration is read:
# with --preload the master imports the app, and its metrics, before on_starting runs.
shutil.rmtree(_metrics_dir, ignore_errors=True)
_metrics_dir.mkdir(parents=True)


def on_starting(server: Any) -> None:
    """Log like the workers do."""
    configure_logging(_settings)


def child_exit(server: Any, worker: Any) -> None:
    """A dead worker's live gauges (requests in progress) must stop counting."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def on_exit(server: Any) -> None:
    shutil.rmtree(_metrics_dir, ignore_errors=True)
