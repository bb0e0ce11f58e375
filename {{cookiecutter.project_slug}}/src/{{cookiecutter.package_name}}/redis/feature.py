"""Redis as a feature of the service: its client for the app's life (per worker, after the
fork), its readiness check (liveness never asks it), the rate limits' shared store and the
items' read cache."""

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from redis.asyncio import Redis

from ..config import load
from ..feature import Feature
from ..readiness import NotReadyError
from ..state import ServiceState
from .cache import ReadCache
from .client import ERRORS, connect
from .limits import RedisStore
from .settings import RedisSettings


class RedisFeature(Feature):
    name = "redis"

    def __init__(self, settings: RedisSettings | None = None) -> None:
        self.settings: RedisSettings = settings or load(RedisSettings)
        self.store = RedisStore(self.settings.key_prefix, self.settings.rate_limit_lease)
        self.rate_limit_store = self.store
        self.items = ReadCache(self.settings.key_prefix, self.settings.cache_ttl, "items")
        self.client: Redis | None = None  # while the app runs

    def lifespan(self, state: ServiceState) -> AbstractAsyncContextManager[None]:
        return self._connected(state)

    @asynccontextmanager
    async def _connected(self, state: ServiceState) -> AsyncIterator[None]:
        client = connect(self.settings)
        self.client = self.store.client = self.items.client = client

        async def check() -> None:
            try:
                await client.ping()
            except ERRORS as error:
                raise NotReadyError(
                    "unreachable", f"start Redis or fix REDIS_URL ({error!r})"
                ) from error

        state.readiness.add_check(self.name, check)
        try:
            yield
        finally:
            self.client = self.store.client = self.items.client = None
            await client.aclose()
