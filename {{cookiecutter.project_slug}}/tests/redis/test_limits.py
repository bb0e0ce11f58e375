"""The Redis store of the rate limits, against the real Redis: several stores stand for several
processes."""

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from pydantic import SecretStr

from {{ cookiecutter.package_name }}.rate_limits.rules import Limit
from {{ cookiecutter.package_name }}.rate_limits.store import StoreUnavailableError, Usage
from {{ cookiecutter.package_name }}.redis.client import connect
from {{ cookiecutter.package_name }}.redis.limits import RedisStore, lease_size
from {{ cookiecutter.package_name }}.redis.settings import RedisSettings

from support.redis import URL

pytestmark = pytest.mark.anyio
HOUR = 3600


async def hits(store: RedisStore, key: str, limit: Limit, count: int) -> list[Usage]:
    usages = []
    for _ in range(count):
        usage = store.hit(key, limit, time.time())
        usages.append(usage if isinstance(usage, Usage) else await usage)
    return usages


@asynccontextmanager
async def stores(prefix: str, count: int, url: str = URL) -> AsyncIterator[list[RedisStore]]:
    """``count`` stores, as ``count`` processes have, each with a client of its own."""
    settings = RedisSettings(url=SecretStr(url), key_prefix=prefix, timeout=0.2)
    made = []
    for _ in range(count):
        store = RedisStore(prefix, settings.rate_limit_lease)
        store.client = connect(settings)
        made.append(store)
    try:
        yield made
    finally:
        for store in made:
            if store.client is not None:
                await store.client.aclose()


def test_slow_limits_take_one_request_per_lease() -> None:
    assert lease_size(Limit(1, 1, "1/1s"), 0.05) == 1
    assert lease_size(Limit(30, 60, "30/60s"), 0.05) == 1
    assert lease_size(Limit(1000, 1, "1000/1s"), 0.05) == 50


async def test_a_slow_limit_is_exact_across_processes(redis_prefix: str) -> None:
    limit = Limit(5, HOUR, f"5/{HOUR}s")
    async with stores(redis_prefix, 2) as (first, second):
        usages = [*await hits(first, "k", limit, 3), *await hits(second, "k", limit, 3)]
        usages += await hits(first, "k", limit, 1)

    assert [u.exceeded for u in usages] == [False] * 5 + [True] * 2
    assert [u.remaining for u in usages[:5]] == [4, 3, 2, 1, 0]


async def test_no_process_takes_more_than_the_limit_with_leases(redis_prefix: str) -> None:
    limit = Limit(20_000, HOUR, f"20000/{HOUR}s")  # leases of 1000
    admitted = 0
    async with stores(redis_prefix, 3) as processes:
        for _ in range(8000):
            for store in processes:
                usages = await hits(store, "k", limit, 1)
                admitted += not usages[0].exceeded

    # Never more than the limit; fewer by at most what the leases still hold unused.
    assert 20_000 - 3 * 999 <= admitted <= 20_000


async def test_concurrent_requests_share_one_lease_request(redis_prefix: str) -> None:
    limit = Limit(100_000, HOUR, f"100000/{HOUR}s")  # leases of 5000
    async with stores(redis_prefix, 1) as (store,):

        async def one() -> Usage:
            usage = store.hit("k", limit, time.time())
            return usage if isinstance(usage, Usage) else await usage

        usages = await asyncio.gather(*(one() for _ in range(40)))

    assert not any(u.exceeded for u in usages)
    assert store.leases["k"].taken == 5000  # one lease served all forty


async def test_redis_away_raises_once_then_waits_before_asking_again(redis_prefix: str) -> None:
    limit = Limit(5, HOUR, f"5/{HOUR}s")
    async with stores(redis_prefix, 1, "redis://127.0.0.1:9/0") as (store,):
        started = time.monotonic()
        for _ in range(3):
            pending = store.hit("k", limit, time.time())
            assert not isinstance(pending, Usage)
            with pytest.raises(StoreUnavailableError):
                await pending

    assert store.health.down
    assert time.monotonic() - started < 1  # one call's timeout, not three
