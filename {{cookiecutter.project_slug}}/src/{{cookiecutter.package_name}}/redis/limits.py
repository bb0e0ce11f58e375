"""The rate limits' counts in Redis, shared by every worker and replica, without a round trip
per request: each process leases part of a window's budget at once.

A window's count is one Redis key (``INCRBY`` and an expiry, one round trip, no script: nothing
to lose when Redis restarts). A process asks for a lease of ``B`` requests and admits that many
locally before it asks again; Redis grants what is left of the limit, so **no limit is ever
exceeded**. What is traded: a lease not used up by the end of its window is lost to the others,
so with ``P`` processes a caller may be refused up to ``P * (B - 1)`` requests before the limit
(fewer when its requests go to fewer processes). ``B`` is ``REDIS_RATE_LIMIT_LEASE`` of the limit
(5 %), and 1 (a round trip per request, exact) for limits of one request per second or less.
One lease per key is asked at a time; the requests that need it meanwhile wait for it.

Redis away: the requests go unchecked (or 503, ``RATE_LIMIT_FAIL_CLOSED``); it is asked again
at most once per ``RETRY_SECONDS``, so an outage costs one timeout per second, not per request.
"""

import asyncio
import time
from collections.abc import Awaitable
from dataclasses import dataclass

from redis.asyncio import Redis

from ..rate_limits.rules import Limit
from ..rate_limits.store import StoreUnavailableError, Usage, window_end
from .client import ERRORS
from .health import Health

RETRY_SECONDS = 1.0
PRUNE_SECONDS = 10.0


@dataclass(slots=True)
class Lease:
    end: float  # the window's end
    granted: int  # requests this process may admit in the window
    used: int
    taken: int  # the window's count in Redis when granted, leases included
    spent: bool  # Redis granted less than asked: nothing is left in this window


def lease_size(limit: Limit, share: float) -> int:
    if limit.amount <= limit.seconds:  # one request per second or less: exact
        return 1
    return max(1, int(limit.amount * share))


class RedisStore:
    def __init__(self, key_prefix: str, lease_share: float) -> None:
        self.client: Redis | None = None  # set while the app runs (the feature's lifespan)
        self.prefix = key_prefix + "ratelimit:"
        self.share = lease_share
        self.leases: dict[str, Lease] = {}
        self.asking: dict[str, asyncio.Future[None]] = {}
        self.health = Health("rate_limits", "rate limits unchecked until it returns")
        self.retry_at = 0.0
        self.next_prune = 0.0

    def hit(self, key: str, limit: Limit, now: float) -> Usage | Awaitable[Usage]:
        usage = self.from_lease(key, limit, now)
        if usage is not None:
            return usage
        return self.leased(key, limit, now)

    def from_lease(self, key: str, limit: Limit, now: float) -> Usage | None:
        """Admit (or refuse) from the lease this process holds, when it can."""
        lease = self.leases.get(key)
        if lease is None or lease.end <= now:
            return None
        reset = lease.end - now
        if lease.used < lease.granted:
            lease.used += 1
            # Seen from here: what Redis had counted, less this lease's requests not yet made.
            return Usage(limit, min(lease.taken, limit.amount) - lease.granted + lease.used, reset)
        if lease.spent:
            return Usage(limit, limit.amount + 1, reset)
        return None

    async def peek(self, key: str, limit: Limit, now: float) -> int:
        """What Redis counted in the window, leases included (exact where leases are of one)."""
        if self.client is None or time.monotonic() < self.retry_at:
            raise StoreUnavailableError
        counter = f"{self.prefix}{key}|{int(window_end(limit, now))}"
        try:
            counted = await self.client.get(counter)
        except ERRORS as error:
            self.health.failed(error)
            self.retry_at = time.monotonic() + RETRY_SECONDS
            raise StoreUnavailableError from error
        self.health.answered()
        return int(counted or 0)

    async def leased(self, key: str, limit: Limit, now: float) -> Usage:
        while True:
            if self.client is None or time.monotonic() < self.retry_at:
                raise StoreUnavailableError
            asking = self.asking.get(key)
            if asking is None:
                asking = self.asking[key] = asyncio.ensure_future(self.ask(key, limit, now))
                asking.add_done_callback(lambda _: self.asking.pop(key, None))
            await asyncio.shield(asking)
            usage = self.from_lease(key, limit, now)
            if usage is not None:
                return usage
            # Others waiting took the lease whole: ask for another.

    async def ask(self, key: str, limit: Limit, now: float) -> None:
        client = self.client
        if client is None:
            raise StoreUnavailableError
        end = window_end(limit, now)
        size = lease_size(limit, self.share)
        counter = f"{self.prefix}{key}|{int(end)}"
        try:
            async with client.pipeline(transaction=False) as pipeline:
                pipeline.incrby(counter, size)
                pipeline.pexpireat(counter, int((end + 1) * 1000))
                taken, _ = await pipeline.execute()
        except ERRORS as error:
            self.health.failed(error)
            self.retry_at = time.monotonic() + RETRY_SECONDS
            raise StoreUnavailableError from error
        self.health.answered()
        granted = max(0, min(size, limit.amount - (int(taken) - size)))
        if now >= self.next_prune:
            self.leases = {k: lease for k, lease in self.leases.items() if lease.end > now}
            self.next_prune = now + PRUNE_SECONDS
        self.leases[key] = Lease(end, granted, 0, int(taken), spent=granted < size)
