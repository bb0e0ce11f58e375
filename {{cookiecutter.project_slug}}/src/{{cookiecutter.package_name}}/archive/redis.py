"""The archive's consumer for Redis Streams: a consumer group (``ARCHIVE_GROUP``) on the stream
``EVENTS_TOPIC``, entries acknowledged (``XACK``) only once stored. A new group starts from the
stream's first entry; several archivers in it share the entries, each as the consumer named
by its host. At start an archiver takes back what it read and did not acknowledge; entries left
pending by an archiver that is gone are claimed after ``ARCHIVE_MAX_SECONDS`` twice over.
Objects are named by entry id (its dash made a dot)."""

import socket
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from ..config import load
from ..events.redis import RedisSettings
from ..events.settings import EventSettings
from .batches import Received
from .settings import ArchiveSettings

CLAIM_EVERY_SECONDS = 30.0


class RedisSource:
    def __init__(self, settings: ArchiveSettings, events: EventSettings) -> None:
        self.settings = settings
        self.events = events
        self.redis_settings = load(RedisSettings)
        self.consumer = socket.gethostname()
        self._redis: Redis | None = None
        self._unacknowledged: list[bytes] = []
        # What this consumer read and did not acknowledge before it stopped, read first (from
        # this id on), then new entries.
        self._pending_from: str | None = "0"
        self._claimed_at = time.monotonic()

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        redis = Redis.from_url(
            self.redis_settings.url.get_secret_value(),
            client_name=f"{self.redis_settings.client_name}-archive",
        )
        async with redis:
            try:
                await redis.xgroup_create(
                    self.events.topic, self.settings.group, "0", mkstream=True
                )
            except ResponseError as error:
                if "BUSYGROUP" not in str(error):  # made before: fine
                    raise
            self._redis = redis
            try:
                yield
            finally:
                self._redis = None

    async def receive(self, wait: float) -> Sequence[Received]:
        redis = self._redis
        if redis is None:
            raise RuntimeError("the consumer is not running")
        entries: list[tuple[bytes, dict[bytes, bytes]]]
        if self._pending_from is not None:
            entries = await self._read(redis, self._pending_from, block=None)
            self._pending_from = entries[-1][0].decode() if entries else None
        elif time.monotonic() - self._claimed_at > CLAIM_EVERY_SECONDS:
            self._claimed_at = time.monotonic()
            idle = int((self.settings.max_seconds * 2 + self.settings.upload_timeout) * 1000)
            answer: Any = await redis.xautoclaim(
                self.events.topic,
                self.settings.group,
                self.consumer,
                idle,
                count=self.settings.max_events,
            )
            entries = answer[1]
        else:
            entries = await self._read(redis, ">", block=max(int(wait * 1000), 1))
        self._unacknowledged += [entry_id for entry_id, _ in entries]
        return [
            Received(fields.get(b"payload", b""), "0", entry_id.decode().replace("-", "."))
            for entry_id, fields in entries
        ]

    async def acknowledge(self) -> None:
        if self._redis is not None and self._unacknowledged:
            await self._redis.xack(self.events.topic, self.settings.group, *self._unacknowledged)
        self._unacknowledged.clear()

    async def _read(
        self, redis: Redis, start: str, block: int | None
    ) -> list[tuple[bytes, dict[bytes, bytes]]]:
        answer: Any = await redis.xreadgroup(
            self.settings.group,
            self.consumer,
            {self.events.topic: start},
            count=self.settings.max_events,
            block=block,
        )
        # [[stream, [(id, fields), ...]]], or nothing when none arrived.
        return list(answer[0][1]) if answer else []
