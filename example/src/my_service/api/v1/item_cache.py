"""Item reads, uncached: the service has no Redis. (Rendered with Redis and a database, this
module caches them there.)"""

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request

Compute = Callable[[], Awaitable[bytes]]

# Dependencies of the routes that change items: nothing to invalidate here.
INVALIDATES: list[Any] = []


async def cached(request: Request, key: str, compute: Compute) -> bytes:
    """The representation named ``key``: computed each time."""
    return await compute()
