"""The service's Prometheus metrics: their definitions (the one home of the core's metrics;
a feature keeps its own in its package) and their exposition for ``/metrics``.

With several worker processes each keeps its own counters; in multiprocess mode (the
``PROMETHEUS_MULTIPROC_DIR`` variable, set by gunicorn_conf.py before workers start) every worker
writes its values to that directory and a scrape adds them up, so any worker answers with totals.

The request metrics are counted per process in plain dictionaries (``RequestTally``) and added
to these metrics at most every ``FLUSH_SECONDS``, when this process answers a scrape, and when it
stops: in multiprocess mode every update takes a lock and writes a shared file, which would
otherwise cost each request more than the rest of its observability. A scrape therefore shows
another worker's requests up to ``FLUSH_SECONDS`` late, and a worker killed with SIGKILL loses at
most its last ``FLUSH_SECONDS`` of counts.
"""

import asyncio
import os
from bisect import bisect_left
from collections import defaultdict

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

FLUSH_SECONDS = 1.0
DURATION_BUCKETS = Histogram.DEFAULT_BUCKETS

REQUESTS = Counter("http_requests_total", "HTTP requests answered.", ["method", "route", "status"])
DURATION = Histogram(
    "http_request_duration_seconds",
    "Time taken to answer HTTP requests.",
    ["method", "route"],
    buckets=DURATION_BUCKETS,
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


class RequestTally:
    """The request metrics of this process since they were last flushed into the Prometheus
    metrics above. Updated from the event loop only, so it needs no lock."""

    def __init__(self) -> None:
        self._answered: dict[tuple[str, str, int], int] = defaultdict(int)
        # (method, route) -> [sum of seconds, count per bucket...]
        self._durations: dict[tuple[str, str], list[float]] = {}
        self._in_progress: dict[str, int] = defaultdict(int)

    def started(self, method: str) -> None:
        self._in_progress[method] += 1

    def finished(self, method: str, route: str, status: int, seconds: float) -> None:
        self._answered[method, route, status] += 1
        durations = self._durations.get((method, route))
        if durations is None:
            durations = self._durations[method, route] = [0.0] * (len(DURATION_BUCKETS) + 1)
        durations[0] += seconds
        durations[1 + bisect_left(DURATION_BUCKETS, seconds)] += 1
        self._in_progress[method] -= 1

    def flush(self) -> None:
        """Add what was counted to the Prometheus metrics, and start counting afresh."""
        answered, self._answered = self._answered, defaultdict(int)
        durations, self._durations = self._durations, {}
        for (method, route, status), count in answered.items():
            REQUESTS.labels(method, route, str(status)).inc(count)
        for (method, route), (total, *buckets) in durations.items():
            _add_observations(DURATION.labels(method, route), total, buckets)
        for method, count in self._in_progress.items():
            IN_PROGRESS.labels(method).set(count)

    async def flush_periodically(self) -> None:
        """Flush every FLUSH_SECONDS until cancelled, then once more."""
        try:
            while True:
                await asyncio.sleep(FLUSH_SECONDS)
                self.flush()
        finally:
            self.flush()


def _add_observations(histogram: Histogram, total: float, buckets: list[float]) -> None:
    """``Histogram.observe`` for many observations at once: their sum, and their count in each
    bucket. prometheus_client has no public call for it; its pinned range keeps these fields
    (the tests compare the result with ``observe``)."""
    histogram._sum.inc(total)
    for index, count in enumerate(buckets):
        if count:
            histogram._buckets[index].inc(count)


request_tally = RequestTally()


def record_readiness(check: str, passing: bool) -> None:
    READINESS.labels(check).set(passing)


def record_app_info(version: str, environment: str) -> None:
    APP_INFO.labels(version, environment).set(1)


def exposition() -> bytes:
    """The current metrics in Prometheus text format, this process's latest requests included."""
    request_tally.flush()
    if os.environ.get(METRICS_DIR_VARIABLE):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)
