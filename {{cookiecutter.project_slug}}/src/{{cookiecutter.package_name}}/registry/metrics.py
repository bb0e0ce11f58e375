"""The registry's metrics on ``/metrics``."""

from collections.abc import Mapping
from typing import Final, Literal, get_args

from prometheus_client import Counter, Gauge, Histogram

from .schemas import Status

SERVICES: Final = Gauge(
    "registry_services",
    "Registered service instances, by health status.",
    ["status"],
    multiprocess_mode="livesum",
)
CHECK_SECONDS: Final = Histogram(
    "registry_check_seconds",
    "Time a health check took, to its answer or its failure.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
CHECK_FAILURES: Final = Counter(
    "registry_check_failures_total",
    "Health checks that did not pass: a status other than 2xx, a timeout, no connection.",
    ["reason"],
)
DEREGISTERED: Final = Counter(
    "registry_deregistered_total",
    "Instances removed for staying critical longer than their deregister_after.",
)

FailureReason = Literal["status", "timeout", "unreachable"]
_FAILURES: Final = {reason: CHECK_FAILURES.labels(reason) for reason in get_args(FailureReason)}
_SERVICES: Final = {status: SERVICES.labels(status.value) for status in Status}


def count_services(by_status: Mapping[Status, int]) -> None:
    for status, gauge in _SERVICES.items():
        gauge.set(by_status.get(status, 0))


def check_failed(reason: FailureReason) -> None:
    _FAILURES[reason].inc()
