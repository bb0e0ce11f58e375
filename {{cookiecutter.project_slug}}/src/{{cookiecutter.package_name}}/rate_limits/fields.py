"""The IETF ``RateLimit-Policy`` and ``RateLimit`` header fields (draft-ietf-httpapi-ratelimit-
headers, structured fields): a list item per limit, named by the limit.

``RateLimit-Policy: "10/1s";q=10;w=1, "100/60s";q=100;w=60`` says what the limits are;
``RateLimit: "10/1s";r=7;t=1, "100/60s";r=97;t=42`` what remains of each (``r``) and in how many
seconds its window ends (``t``).
"""

import math
from collections.abc import Sequence

from .rules import Limit
from .store import Usage

POLICY = b"ratelimit-policy"
STATE = b"ratelimit"
RETRY_AFTER = b"retry-after"


def policy_field(limits: Sequence[Limit]) -> bytes:
    return ", ".join(f'"{lim.name}";q={lim.amount};w={lim.seconds}' for lim in limits).encode()


def state_field(usages: Sequence[Usage]) -> bytes:
    if len(usages) == 1:  # the usual case, on every limited response: no generator, no join
        [u] = usages
        return f'"{u.limit.name}";r={u.remaining};t={math.ceil(u.reset)}'.encode()
    return ", ".join(
        f'"{u.limit.name}";r={u.remaining};t={math.ceil(u.reset)}' for u in usages
    ).encode()


def retry_after(usages: Sequence[Usage]) -> int:
    """Seconds until every exceeded limit has a new window (at least 1)."""
    return max(1, *(math.ceil(u.reset) for u in usages if u.exceeded))
