"""Item reads through the Redis cache (``redis/cache.py``): an item by id and each page, as
their JSON bytes. Every change invalidates them once its transaction has committed: the
dependency below is entered before the database session, so it is left after its commit."""

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from fastapi import Depends, Request

from ...redis.cache import ReadCache
from ...redis.feature import RedisFeature
from ...state import service_state

Compute = Callable[[], Awaitable[bytes]]


def item_cache(request: Request) -> ReadCache:
    return service_state(request).feature(RedisFeature).items


async def invalidate_after_change(request: Request) -> AsyncIterator[None]:
    yield  # the change, and its commit
    await item_cache(request).invalidate()


# Dependencies of the routes that change items; "function" scope: done before the response.
INVALIDATES: list[Any] = [Depends(invalidate_after_change, scope="function")]


async def cached(request: Request, key: str, compute: Compute) -> bytes:
    """The representation named ``key``, from the cache or computed (and cached)."""
    return await item_cache(request).read(key, compute)
