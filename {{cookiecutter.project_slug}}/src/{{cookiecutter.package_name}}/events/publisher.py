"""Publishing to the broker, whichever it is: one connection for the app's life, every call
bounded.

A ``Broker`` (``kafka.py``, say) is what differs between brokers: how to connect, send and
ping with its client library. ``Publisher`` adds what does not: the connection is made at
startup, waited for at most ``STARTUP_WAIT_SECONDS`` and then made in the background with
backoff (the service starts, not ready, while its broker is away); each publish gets
``EVENTS_PUBLISH_TIMEOUT`` and fails with ``PublishError`` after it, saying how many events the
broker acknowledged before the failure. Once connected, the client library reconnects itself.
"""

import asyncio
import random
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from contextlib import aclosing, asynccontextmanager, suppress
from typing import Generic, Protocol, TypeVar

from loguru import logger

from .envelope import Message

FIRST_BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 30.0
STARTUP_WAIT_SECONDS = 2.0

Client = TypeVar("Client")


class PublishError(Exception):
    """The broker did not take every event (away, refused one, or too slow): try again later
    from ``acknowledged``, the number it took, in order, before the failure."""

    def __init__(self, reason: str, acknowledged: int = 0) -> None:
        super().__init__(reason)
        self.acknowledged = acknowledged


class Broker(Protocol[Client]):
    """A broker's client library, as the publisher uses it."""

    @property
    def name(self) -> str: ...

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        """What its calls raise when the broker is away or refuses (beside ``OSError``)."""
        ...

    async def connect(self) -> Client:
        """A connected client (cleaning up after itself when it fails or is cancelled)."""
        ...

    async def close(self, client: Client) -> None: ...

    def send(
        self, client: Client, topic: str, messages: Sequence[Message]
    ) -> AsyncGenerator[None, None]:
        """Send ``messages`` in order, yielding once per message the broker acknowledged, in
        order (so the caller knows how many went through if one fails)."""
        ...

    async def ping(self, client: Client) -> None:
        """Fails unless the broker answers."""
        ...


class Publisher(Generic[Client]):
    def __init__(self, broker: Broker[Client], timeout: float) -> None:
        self.broker = broker
        self.timeout = timeout
        # The broker away, refusing or too slow (TimeoutError is an OSError).
        self._failures: tuple[type[Exception], ...] = (OSError, *broker.errors)
        self._client: Client | None = None
        self._connected = asyncio.Event()
        self._stopping = asyncio.Event()

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Connected inside (in the background if the broker does not answer at once); closed,
        bounded, on the way out."""
        self._stopping.clear()
        connecting = asyncio.create_task(self._connect(), name=f"{self.broker.name} connect")
        # Serve connected when the broker answers at once (readiness includes it).
        await asyncio.wait([connecting], timeout=min(self.timeout, STARTUP_WAIT_SECONDS))
        try:
            yield
        finally:
            # Not cancelled: some clients leave a connection open when a connect is interrupted.
            # The attempt in progress ends within the timeout, and no other begins.
            self._stopping.set()
            await connecting
            client, self._client = self._client, None
            self._connected.clear()
            if client is not None:
                await self._close(client)

    async def publish(self, topic: str, messages: Sequence[Message]) -> int:
        """Publish ``messages`` in order, within the timeout (waiting for the connection, as in
        a service just started): how many, from the first, the broker acknowledged."""
        acknowledged = 0
        try:
            async with asyncio.timeout(self.timeout):
                await self._connected.wait()
                client = self._client
                if client is None:
                    raise PublishError("the publisher is stopped")
                # Closed at once if cut short, so what it started is settled (not at collection).
                async with aclosing(self.broker.send(client, topic, messages)) as acks:
                    async for _ in acks:
                        acknowledged += 1
        except TimeoutError as error:
            raise PublishError(
                f"not acknowledged within {self.timeout:g} s", acknowledged
            ) from error
        except self._failures as error:
            raise PublishError(f"{type(error).__name__}: {error}", acknowledged) from error
        return acknowledged

    async def ping(self) -> None:
        """The readiness check: the broker answers, within the timeout."""
        client = self._client
        if client is None:
            raise PublishError(f"not connected to {self.broker.name}")
        async with asyncio.timeout(self.timeout):
            await self.broker.ping(client)

    async def _connect(self) -> None:
        backoff = FIRST_BACKOFF_SECONDS
        while not self._stopping.is_set():
            try:
                async with asyncio.timeout(self.timeout):
                    client = await self.broker.connect()
            except self._failures as error:
                logger.warning("{} not reachable ({!r}); retrying", self.broker.name, error)
                pause = backoff * random.uniform(0.5, 1.0)  # noqa: S311  # nosec B311
                with suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), pause)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            if self._stopping.is_set():  # connected as the app stopped
                await self._close(client)
                return
            self._client = client
            self._connected.set()
            logger.info("Connected to {}", self.broker.name)
            return

    async def _close(self, client: Client) -> None:
        try:
            async with asyncio.timeout(self.timeout):
                await self.broker.close(client)  # sends what it holds first
        except self._failures as error:
            logger.warning("{} connection not closed cleanly: {!r}", self.broker.name, error)
