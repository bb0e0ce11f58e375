"""Where the requests of each caller are counted: fixed windows, aligned to the clock.

Every window of a limit starts at a multiple of its length since the epoch, so every process
(and every replica) agrees on when a window starts and ends without talking to the others. A
fixed window lets a caller spend one window's budget at its end and the next one's at the start
of the next: at most twice the limit within one window's length, never more within a window.

``MemoryStore`` counts in this process's memory: with several workers or replicas, each counts
for itself (a limit is then per worker). A feature brings a shared store (``Feature.
rate_limit_store``: Redis) whose counts every worker and replica see.
"""

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Protocol

from .rules import Limit

# Windows that ended are forgotten at most this often (one pass over the counters).
PRUNE_SECONDS = 10.0


@dataclass(slots=True)
class Usage:
    """A limit's window after a request was counted: requests ``used`` in it (this one
    included), and seconds until it ends. One per limit per request: not frozen, whose
    ``__init__`` costs three times as much."""

    limit: Limit
    used: int
    reset: float

    @property
    def exceeded(self) -> bool:
        return self.used > self.limit.amount

    @property
    def remaining(self) -> int:
        return max(0, self.limit.amount - self.used)


class StoreUnavailableError(Exception):
    """A shared store cannot be reached: the stage lets the request through, or answers 503
    (``RATE_LIMIT_FAIL_CLOSED``)."""


class RateLimitStore(Protocol):
    def hit(self, key: str, limit: Limit, now: float) -> Usage | Awaitable[Usage]:
        """Count one request of ``key`` (a rule, a limit and a caller) at ``now`` (epoch
        seconds). Answers at once when it can; an awaitable when it must ask elsewhere, which
        may raise ``StoreUnavailableError``."""
        ...

    def peek(self, key: str, limit: Limit, now: float) -> int | Awaitable[int]:
        """The requests of ``key`` counted in the window that holds ``now``, counting none."""
        ...


def window_end(limit: Limit, now: float) -> float:
    """When the window of ``limit`` that holds ``now`` ends."""
    return (now // limit.seconds + 1) * limit.seconds


class MemoryStore:
    """Counts in this process: a dictionary lookup per limit, nothing awaited."""

    def __init__(self) -> None:
        self.windows: dict[str, list[float]] = {}  # key: [the window's end, requests]
        self.next_prune = 0.0

    def hit(self, key: str, limit: Limit, now: float) -> Usage:
        window = self.windows.get(key)
        if window is None or window[0] <= now:
            if now >= self.next_prune:
                self.prune(now)
            window = self.windows[key] = [window_end(limit, now), 0]
        window[1] += 1
        return Usage(limit, int(window[1]), window[0] - now)

    def peek(self, key: str, limit: Limit, now: float) -> int:
        window = self.windows.get(key)
        return 0 if window is None or window[0] <= now else int(window[1])

    def prune(self, now: float) -> None:
        """Forget the windows that ended: callers come and go."""
        self.windows = {key: window for key, window in self.windows.items() if window[0] > now}
        self.next_prune = now + PRUNE_SECONDS
