"""The archive's loop: consume, hold, upload, and only then acknowledge.

Events are held (``batches.py``) until they reach ``ARCHIVE_MAX_BYTES`` or ``ARCHIVE_MAX_EVENTS``,
or the oldest has waited ``ARCHIVE_MAX_SECONDS``; then every object is uploaded, retried with
backoff as long as it takes, and only once all are stored does the broker hear that they were
consumed. An archiver that dies, or stops while the store is away, has acknowledged nothing it
held: the broker delivers those events again, to the next archiver of the group. At least once:
events stored by an archiver that died before acknowledging are stored again, in objects named
by the positions they hold, so a duplicate is easy to tell (and consumers deduplicate by id).
"""

import asyncio
import random
import time
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager, suppress
from typing import Protocol

from loguru import logger

from . import metrics
from .batches import Batches, Received
from .settings import ArchiveSettings

FIRST_BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 30.0


class Source(Protocol):
    """The broker's side: a consumer of the service's events (``<broker>.py``)."""

    def running(self) -> AbstractAsyncContextManager[None]:
        """Subscribed inside: events published from then on are delivered."""
        ...

    async def receive(self, wait: float) -> Sequence[Received]:
        """What arrives within ``wait`` seconds (nothing, maybe), in order per partition."""
        ...

    async def acknowledge(self) -> None:
        """Everything received so far is stored: the broker need not deliver it again."""
        ...


class Store(Protocol):
    def running(self) -> AbstractAsyncContextManager[None]: ...

    async def put(self, key: str, body: bytes) -> None: ...


class Archiver:
    def __init__(self, source: Source, store: Store, settings: ArchiveSettings) -> None:
        self.source = source
        self.store = store
        self.settings = settings
        self.batches = Batches(settings.prefix)
        self.subscribed = asyncio.Event()  # set once events published from now on will arrive
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        """Archive until stopped. The broker away at the start, or lost on the way: connected
        again with backoff, and what was held but not stored is left to be delivered again."""
        backoff = FIRST_BACKOFF_SECONDS
        while not self._stopping.is_set():
            try:
                await self._archive()
            except Exception as error:  # the broker away or gone: start over
                self.subscribed.clear()
                self.batches.clear()  # not acknowledged: the broker delivers it again
                metrics.HELD.set(0)
                logger.warning("Archive: {!r}; connecting again", error)
                await self._pause(backoff * random.uniform(0.5, 1.0))  # noqa: S311  # nosec B311
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            return

    async def _archive(self) -> None:
        async with self.store.running(), self.source.running():
            self.subscribed.set()
            settings = self.settings
            logger.info("Archiving events to s3://{}/{}/", settings.bucket, settings.prefix)
            while not self._stopping.is_set():
                received = await self.source.receive(self._wait())
                for message in received:
                    self.batches.add(message)
                metrics.HELD.set(self.batches.count)
                if self._due():
                    await self._flush(until=None)
            if self.batches.count:  # stopping: one upload timeout to store what is held
                await self._flush(until=time.monotonic() + self.settings.upload_timeout)

    def _wait(self) -> float:
        """Until the held events are due, and never long, so a stop is seen soon."""
        if self.batches.oldest is None:
            return 1.0
        due = self.batches.oldest + self.settings.max_seconds - time.monotonic()
        return min(max(due, 0.0), 1.0)

    def _due(self) -> bool:
        if self.batches.oldest is None:
            return False
        return (
            self.batches.size >= self.settings.max_bytes
            or self.batches.count >= self.settings.max_events
            or time.monotonic() - self.batches.oldest >= self.settings.max_seconds
        )

    async def _flush(self, until: float | None) -> None:
        """Upload every object, retrying until stored (or until ``until``, once stopping), then
        acknowledge; what is not stored stays unacknowledged, to be delivered again."""
        started = time.perf_counter()
        objects = self.batches.objects()
        pending = list(objects)
        backoff = FIRST_BACKOFF_SECONDS
        while pending:
            try:
                async with asyncio.timeout(self.settings.upload_timeout):
                    await self.store.put(pending[0].key, pending[0].body)
            except Exception as error:  # the store away or refusing: retry
                metrics.FAILURES.inc()
                logger.warning("Archive upload failed ({!r}); retrying", error)
                if until is None and self._stopping.is_set():
                    until = time.monotonic() + self.settings.upload_timeout
                pause = backoff * random.uniform(0.5, 1.0)  # noqa: S311  # nosec B311
                if until is not None and time.monotonic() + pause > until:
                    logger.error(
                        "Stopped with {} events not archived: the broker delivers them again",
                        self.batches.count,
                    )
                    return
                await self._pause(pause)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            pending.pop(0)
        try:
            await self.source.acknowledge()
        except Exception as error:  # stored all the same
            logger.warning("Acknowledgement failed ({!r}): events may be archived twice", error)
        metrics.OBJECTS.inc(len(objects))
        metrics.ARCHIVED.inc(self.batches.count)
        metrics.UPLOAD_SECONDS.observe(time.perf_counter() - started)
        logger.info("Archived {} events in {} objects", self.batches.count, len(objects))
        self.batches.clear()
        metrics.HELD.set(0)

    async def _pause(self, seconds: float) -> None:
        """Sleep, cut short by a stop (once stopping, a plain sleep)."""
        if self._stopping.is_set():
            await asyncio.sleep(seconds)
            return
        with suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)
