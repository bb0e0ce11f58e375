"""The events' metrics on ``/metrics``."""

from typing import Final

from prometheus_client import Counter, Gauge, Histogram

OUTBOX_DEPTH: Final = Gauge(
    "events_outbox_depth",
    "Events written to the outbox and not yet published.",
    multiprocess_mode="livemax",
)
PUBLISHED: Final = Counter("events_published_total", "Events the broker took, by type.", ["type"])
FAILED: Final = Counter(
    "events_publish_failures_total",
    "Publishes that failed or timed out, by event type (the outbox tries them again).",
    ["type"],
)
PUBLISH_SECONDS: Final = Histogram(
    "events_publish_seconds",
    "Time the broker took to acknowledge one event.",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
