"""The rate limits' metrics: requests refused, and requests let through unchecked while a shared
store was away. Labelled by the entry of ``RATE_LIMITS`` (a bounded set), never by caller."""

from functools import cache

from prometheus_client import Counter

REFUSED = Counter("rate_limit_refused_total", "Requests answered 429 by the rate limits.", ["rule"])
UNCHECKED = Counter(
    "rate_limit_unchecked_total",
    "Requests the rate limits could not count (their store was away): let through, or 503.",
    ["rule", "outcome"],
)


@cache
def refused(rule: str) -> Counter:
    return REFUSED.labels(rule)


def unchecked(rule: str, outcome: str) -> None:
    UNCHECKED.labels(rule, outcome).inc()
