"""The archive's metrics, on its own port (``ARCHIVE_METRICS_PORT``)."""

from typing import Final

from prometheus_client import Counter, Gauge, Histogram

ARCHIVED: Final = Counter("archive_events_total", "Events stored in the archive.")
OBJECTS: Final = Counter("archive_objects_total", "Objects uploaded to the archive.")
FAILURES: Final = Counter(
    "archive_upload_failures_total", "Uploads that failed (retried; nothing acknowledged)."
)
HELD: Final = Gauge("archive_events_held", "Events consumed and not yet stored.")
UPLOAD_SECONDS: Final = Histogram(
    "archive_flush_seconds",
    "Time one flush took: every object uploaded, then acknowledged to the broker.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
