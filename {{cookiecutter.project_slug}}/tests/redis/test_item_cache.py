"""The items' read cache in Redis: used, never stale after a write (also across two workers,
unless a feature keeps the service to one process), one computation per entry at a time, and
reads going to the database while Redis is away."""

import asyncio

import httpx2
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from redis.asyncio import Redis

from {{ cookiecutter.package_name }}.config import Environment, Settings
from {{ cookiecutter.package_name }}.features import enabled_features
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.redis.cache import Compute, ReadCache
from {{ cookiecutter.package_name }}.redis.client import connect
from {{ cookiecutter.package_name }}.redis.feature import RedisFeature
from {{ cookiecutter.package_name }}.redis.settings import RedisSettings

from support.credentials import HEADERS
from support.redis import count_keys
from support.servers import WORKER_COUNTS, running_service

ITEMS = "/api/v1/items"


def test_reads_are_cached_and_a_write_is_read_back_at_once(
    client: TestClient, redis_prefix: str
) -> None:
    item = client.post(ITEMS, json={"name": "Widget"}).json()
    url = f"{ITEMS}/{item['id']}"
    assert client.get(url).json()["description"] is None
    assert client.get(ITEMS).json()["total"] == 1
    # The generation (the creation bumped it), the item and the page.
    assert count_keys(f"{redis_prefix}cache:items:") == 3

    for n in range(3):
        client.patch(url, json={"description": str(n)})
        assert client.get(url).json()["description"] == str(n)
        assert client.get(ITEMS).json()["items"][0]["description"] == str(n)

    client.delete(url)
    assert client.get(url).status_code == 404
    assert client.get(ITEMS).json()["total"] == 0


def test_the_workers_never_serve_a_stale_item() -> None:
    workers = str(max(WORKER_COUNTS))
    with running_service({"WORKERS": workers, "ACCESS_LOG": "false"}) as service:
        items = service.url + ITEMS
        item = httpx2.post(items, json={"name": "Widget"}, headers=HEADERS).json()
        url = f"{items}/{item['id']}"
        for n in range(10):
            # Reads on fresh connections land on either worker and fill the cache there.
            for _ in range(3):
                httpx2.get(url)
                httpx2.get(items)
            httpx2.patch(url, json={"description": str(n)}, headers=HEADERS)
            for _ in range(3):
                assert httpx2.get(url).json()["description"] == str(n)
                assert httpx2.get(items).json()["items"][0]["description"] == str(n)


READERS = 20


class CountingCache(ReadCache):
    """A read cache that tells when every reader has missed the cache and reached the guard."""

    def __init__(self, prefix: str) -> None:
        super().__init__(prefix, 60, "test")
        self.arrived = 0
        self.all_arrived = asyncio.Event()

    async def computed_once(self, client: Redis, entry: str, compute: Compute) -> bytes:
        self.arrived += 1
        if self.arrived == READERS:
            self.all_arrived.set()
        return await super().computed_once(client, entry, compute)


@pytest.mark.anyio
async def test_one_computation_per_entry_at_a_time(redis_prefix: str) -> None:
    cache = CountingCache(redis_prefix)
    cache.client = client = connect(RedisSettings())
    computed = 0

    async def compute() -> bytes:
        nonlocal computed
        computed += 1
        # A slow query: it lasts until every other reader has arrived and found it running.
        async with asyncio.timeout(10):
            await cache.all_arrived.wait()
        return b"body"

    try:
        bodies = await asyncio.gather(*(cache.read("k", compute) for _ in range(READERS)))
    finally:
        await client.aclose()

    assert bodies == [b"body"] * READERS
    assert computed == 1


def test_reads_go_to_the_database_while_redis_is_away(settings: Settings) -> None:
    away = RedisSettings(url=SecretStr("redis://127.0.0.1:9/0"), timeout=0.2)
    features = [
        RedisFeature(away) if isinstance(f, RedisFeature) else f
        for f in enabled_features(Settings(environment=Environment.TEST))
    ]
    with TestClient(create_app(settings, features), headers=HEADERS) as client:
        item = client.post(ITEMS, json={"name": "Widget"}).json()
        assert client.get(f"{ITEMS}/{item['id']}").json()["name"] == "Widget"
        assert client.get(ITEMS).json()["total"] == 1
