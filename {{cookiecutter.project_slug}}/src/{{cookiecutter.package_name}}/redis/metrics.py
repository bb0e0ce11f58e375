"""Redis's metrics: calls that failed (the service carried on without Redis), by use."""

from prometheus_client import Counter

FAILURES = Counter("redis_failures_total", "Calls to Redis that failed or timed out.", ["use"])
OUTAGES = Counter(
    "redis_outages_total", "Times Redis became unreachable (after answering before).", ["use"]
)
