"""The service's Prometheus metrics: their definitions (the one home of the core's metrics;
a feature keeps its own in its package) and their exposition for ``/metrics``.

With several worker processes each keeps its own counters; in multiprocess mode (the
``PROMETHEUS_MULTIPROC_DIR`` variable, set by gunicorn_conf.py before workers start) every worker
writes its values to that directory and a scrape adds them up, so any worker answers with totals.
"""

import os
from functools import cache

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from .config import METRICS_DIR_VARIABLE

REQUESTS = Counter("http_requests_total", "HTTP requests answered.", ["method", "route", "status"])
DURATION = Histogram(
    "http_request_duration_seconds", "Time taken to answer HTTP requests.", ["method", "route"]
)
IN_PROGRESS = Gauge(
    "http_requests_in_progress",
    "HTTP requests being answered.",
    ["method"],
    multiprocess_mode="livesum",
)
READINESS = Gauge(
    "readiness_check_passing",
    "Whether each readiness check passed when last run (1) or not (0); the lowest of the workers.",
    ["check"],
    multiprocess_mode="livemin",
)
APP_INFO = Gauge(
    "app_info",
    "The running service's version and environment (always 1).",
    ["version", "environment"],
    multiprocess_mode="max",
)


# Label lookups cost a lock and a tuple per call; the label sets are few (methods, route
# templates and statuses), so each child is looked up once and kept.
@cache
def in_progress_gauge(method: str) -> Gauge:
    return IN_PROGRESS.labels(method)


@cache
def _request_metrics(method: str, route: str, status: int) -> tuple[Counter, Histogram]:
    return REQUESTS.labels(method, route, str(status)), DURATION.labels(method, route)


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    counter, histogram = _request_metrics(method, route, status)
    counter.inc()
    histogram.observe(seconds)


def record_readiness(check: str, passing: bool) -> None:
    READINESS.labels(check).set(passing)


def record_app_info(version: str, environment: str) -> None:
    APP_INFO.labels(version, environment).set(1)


def exposition() -> bytes:
    """The current metrics in Prometheus text format."""
    if os.environ.get(METRICS_DIR_VARIABLE):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)
