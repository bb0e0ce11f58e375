"""What the events tests share, whichever the broker (``broker.py`` is the chosen one's)."""

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Delivered:
    """An event as a consumer receives it: the envelope, and what the broker carried beside."""

    id: str
    type: str
    subject: str
    payload: bytes


class EventBroker(Protocol):
    @property
    def environment(self) -> Mapping[str, str]:
        """Variables that point the service at this broker."""
        ...

    def consumed(self, topic: str, count: int, seconds: float = 30.0) -> list[Delivered]:
        """The first ``count`` events of ``topic``, in the order published; fails after
        ``seconds`` without them (``AssertionError``: "n of count events arrived")."""
        ...

    def open_topic(self, topic: str) -> None:
        """Make what a test's events go to and are read from."""
        ...

    def close_topic(self, topic: str) -> None:
        """Remove it and what it holds."""
        ...


class BrokerAway(Protocol):
    """A broker the service cannot reach yet."""

    @property
    def environment(self) -> Mapping[str, str]:
        """Variables that point the service at where the broker will be."""
        ...

    def back(self) -> EventBroker:
        """The broker, reachable from now on."""
        ...


async def first(
    count: int, seconds: float, read: Callable[[], Awaitable[list[Delivered]]]
) -> list[Delivered]:
    """The first ``count`` of what ``read`` returns, once it returns that many."""
    deadline = time.monotonic() + seconds
    while len(seen := await read()) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"{len(seen)} of {count} events arrived")
        await asyncio.sleep(0.05)
    return seen[:count]
