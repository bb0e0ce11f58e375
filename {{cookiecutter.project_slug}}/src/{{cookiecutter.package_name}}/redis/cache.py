"""A read cache in Redis that no write leaves stale: entries are named by a generation that
every write bumps once its transaction has committed.

A read takes the generation (one ``GET``), then the entry of that generation (another). A write
increments the generation after its commit and before its response: whoever reads after that
response, in any process, looks under the new generation and finds nothing older. A read that
began before the commit may still store what it read, but under the old generation, where no
one looks any more. Entries expire after ``REDIS_CACHE_TTL``.

Stampede guard: in each process one computation per entry at a time; the requests that want the
same entry meanwhile wait for its result. Redis away: reads go to the database (logged once per
outage, counted). If a write cannot bump the generation, what was cached before it can be read
until it expires.
"""

import asyncio
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis

from .client import ERRORS
from .health import Health

Compute = Callable[[], Awaitable[bytes]]


def text(value: bytes | str | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


class ReadCache:
    def __init__(self, key_prefix: str, ttl: int, name: str) -> None:
        self.client: Redis | None = None  # set while the app runs (the feature's lifespan)
        self.prefix = f"{key_prefix}cache:{name}:"
        self.generation_key = f"{self.prefix}generation"
        self.ttl = ttl
        self.computing: dict[str, asyncio.Future[bytes]] = {}
        self.health = Health(f"cache:{name}", "reads go to the database until it returns")

    async def read(self, key: str, compute: Compute) -> bytes:
        client = self.client
        if client is None:
            return await compute()
        try:
            generation = await client.get(self.generation_key)
            entry = f"{self.prefix}{text(generation) or 0}:{key}"
            cached = await client.get(entry)
        except ERRORS as error:
            self.health.failed(error)
            return await compute()
        self.health.answered()
        if cached is not None:
            return cached if isinstance(cached, bytes) else cached.encode()
        return await self.computed_once(client, entry, compute)

    async def computed_once(self, client: Redis, entry: str, compute: Compute) -> bytes:
        pending = self.computing.get(entry)
        if pending is not None:
            try:
                return await asyncio.shield(pending)
            except Exception:  # its own request answers that error; this one tries anew
                return await compute()
        pending = self.computing[entry] = asyncio.get_running_loop().create_future()
        try:
            body = await compute()
        except BaseException as error:
            pending.set_exception(error if isinstance(error, Exception) else RuntimeError())
            pending.exception()  # retrieved: nobody may be waiting
            raise
        finally:
            self.computing.pop(entry, None)
        pending.set_result(body)
        try:
            await client.set(entry, body, ex=self.ttl)
        except ERRORS as error:
            self.health.failed(error)
        return body

    async def invalidate(self) -> None:
        """After a write has committed: every entry cached before it is unread from now on."""
        if self.client is None:
            return
        try:
            await self.client.incr(self.generation_key)
        except ERRORS as error:
            self.health.failed(error)
