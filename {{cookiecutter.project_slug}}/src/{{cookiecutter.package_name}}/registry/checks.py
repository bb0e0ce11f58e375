"""Health checks: each registered instance's ``health_url`` fetched every ``interval`` seconds
(first at once), with one shared HTTP client and at most ``check_concurrency`` checks in
flight; an instance critical for longer than its ``deregister_after`` is removed.

2xx is passing, 429 warning (the service is up but shedding load), anything else, a timeout or
no connection critical: Consul's rules.
"""

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx2
from loguru import logger

from ..errors import UnavailableError
from . import metrics
from .catalog import Catalog, Entry
from .schemas import Status
from .settings import RegistrySettings


async def probe(client: httpx2.AsyncClient, url: str, within: float) -> tuple[Status, str]:
    """One check of ``url``: its status and what was seen. The body is never read."""
    started = time.perf_counter()
    try:
        # The overall bound: the client's own timeouts apply per read, not to a slow trickle.
        async with asyncio.timeout(within), client.stream("GET", url, timeout=within) as answer:
            code = answer.status_code
    except (TimeoutError, httpx2.TimeoutException):
        metrics.check_failed("timeout")
        return Status.CRITICAL, "timeout"
    except httpx2.TransportError as error:
        metrics.check_failed("unreachable")
        return Status.CRITICAL, f"unreachable ({type(error).__name__})"
    finally:
        metrics.CHECK_SECONDS.observe(time.perf_counter() - started)
    if 200 <= code < 300:
        return Status.PASSING, f"HTTP {code}"
    metrics.check_failed("status")
    return (Status.WARNING if code == 429 else Status.CRITICAL), f"HTTP {code}"


class HealthChecker:
    def __init__(self, catalog: Catalog, settings: RegistrySettings) -> None:
        self.catalog = catalog
        self.settings = settings
        self._client: httpx2.AsyncClient | None = None
        self._schedules: dict[str, asyncio.Task[None]] = {}

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Checks can be scheduled inside: the client is open and the slots are made."""
        # A check's own timeout applies per request; redirects are the checked service's answer.
        limits = httpx2.Limits(max_connections=self.settings.check_concurrency)
        async with httpx2.AsyncClient(limits=limits, follow_redirects=False) as client:
            self._client = client
            self._slots = asyncio.Semaphore(self.settings.check_concurrency)
            try:
                yield
            finally:
                await self.close()
                self._client = None

    def watch(self, entry: Entry) -> None:
        """Check ``entry`` from now on, in place of what was checked under its id."""
        self.forget(entry.id)
        self._schedules[entry.id] = asyncio.create_task(
            self._schedule(entry), name=f"registry check {entry.id}"
        )

    def forget(self, service_id: str) -> None:
        schedule = self._schedules.pop(service_id, None)
        if schedule is not None:
            schedule.cancel()

    @property
    def client(self) -> httpx2.AsyncClient:
        """The registry's HTTP client, open inside ``running()``."""
        if self._client is None:
            raise RuntimeError("the registry's client is open inside HealthChecker.running()")
        return self._client

    async def close(self) -> None:
        schedules = list(self._schedules.values())
        self._schedules.clear()
        for schedule in schedules:
            schedule.cancel()
        await asyncio.gather(*schedules, return_exceptions=True)

    async def check(self, entry: Entry) -> None:
        """Check ``entry`` once and record the result."""
        registration = entry.registration
        async with self._slots:
            result, output = await probe(
                self.client, str(registration.health_url), registration.timeout
            )
        if entry.health.observe(result, output, time.monotonic(), self.settings.flip_after):
            self.catalog.count()
            logger.info("Service {} is {} ({})", entry.id, result.value, output)

    async def _schedule(self, entry: Entry) -> None:
        registration = entry.registration
        while True:
            await self.check(entry)
            if entry.health.critical_for(time.monotonic()) > registration.deregister_after:
                try:
                    await self._deregister(entry)
                except UnavailableError:  # the store: tried again after the next check
                    logger.warning("Service {} not deregistered: store unreachable", entry.id)
                else:
                    if self._schedules.get(entry.id) is asyncio.current_task():
                        del self._schedules[entry.id]
                    return
            await asyncio.sleep(registration.interval)

    async def _deregister(self, entry: Entry) -> None:
        if await self.catalog.remove(entry.id, entry) is not None:
            metrics.DEREGISTERED.inc()
            logger.warning(
                "Service {} deregistered: critical for more than {:g} s",
                entry.id,
                entry.registration.deregister_after,
            )
