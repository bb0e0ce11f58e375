"""Failed logins, limited per username and per client address.

Each failure is counted in the rate limits' store (Redis when the service has it, so every
worker and replica sees it; else this process's memory). Before a password is checked, a
username or an address over its limit is refused with 429 and ``Retry-After``: the end of the
window, a minute after a few failures and an hour after many (``ACCOUNTS_LOGIN_LIMITS_*``), so
guessing slows down the more it fails. The store away: logins go unlimited, as requests do.
"""

import time
from collections.abc import Awaitable
from dataclasses import dataclass
from http import HTTPStatus
from typing import TypeVar

from loguru import logger

from ..errors import AppError
from ..rate_limits.rules import Limit, parse_limits
from ..rate_limits.store import RateLimitStore, StoreUnavailableError, Usage, window_end
from .passwords import normalise

T = TypeVar("T")


class TooManyLoginsError(AppError):
    status = HTTPStatus.TOO_MANY_REQUESTS

    def __init__(self, retry_after: float) -> None:
        seconds = max(1, int(retry_after + 0.999))
        super().__init__("Too many failed logins; try again later.", {"Retry-After": str(seconds)})


@dataclass(frozen=True)
class Counter:
    key: str
    limit: Limit


class LoginLimits:
    def __init__(self, store: RateLimitStore, per_username: str, per_address: str) -> None:
        self.store = store
        self.per_username = parse_limits(per_username)
        self.per_address = parse_limits(per_address)

    def counters(self, username: str, address: str) -> list[Counter]:
        user = normalise(username)
        return [
            *(Counter(f"login|{limit.name}|user:{user}", limit) for limit in self.per_username),
            *(
                Counter(f"login|{limit.name}|address:{address}", limit)
                for limit in self.per_address
            ),
        ]

    async def check(self, username: str, address: str) -> None:
        """TooManyLoginsError if the username or the address used up a limit's failures."""
        now = time.time()
        wait = 0.0
        for counter in self.counters(username, address):
            counted = await self._answer(self.store.peek(counter.key, counter.limit, now))
            if counted is not None and counted >= counter.limit.amount:
                wait = max(wait, window_end(counter.limit, now) - now)
        if wait > 0:
            raise TooManyLoginsError(wait)

    async def failed(self, username: str, address: str) -> None:
        now = time.time()
        for counter in self.counters(username, address):
            usage: Usage | None = await self._answer(
                self.store.hit(counter.key, counter.limit, now)
            )
            if usage is not None and usage.used == counter.limit.amount:
                logger.bind(limit=counter.limit.name).warning(
                    "failed logins reached a limit; refused until the window ends"
                )

    @staticmethod
    async def _answer(answer: T | Awaitable[T]) -> T | None:
        if not isinstance(answer, Awaitable):
            return answer
        try:
            return await answer
        except StoreUnavailableError:
            return None  # the store's own health logs and counts the outage
