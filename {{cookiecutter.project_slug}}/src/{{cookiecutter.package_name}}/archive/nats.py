"""The archive's consumer for NATS JetStream: a durable pull consumer (``ARCHIVE_GROUP``) on the
events' stream, acknowledging all up to the last event once what was read is stored (at most
``ARCHIVE_MAX_EVENTS`` pending). A new consumer starts from the stream's first event; several
archivers on it share the events. Objects are named by stream sequence."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.client import JetStreamContext

from ..config import load
from ..events.nats import Nats, NatsSettings, stream_name
from ..events.settings import EventSettings
from .batches import Received
from .settings import ArchiveSettings

FETCH_BATCH = 1000


class NatsSource:
    def __init__(self, settings: ArchiveSettings, events: EventSettings) -> None:
        self.settings = settings
        self.events = events
        self.broker = Nats(settings.upload_timeout, load(NatsSettings))
        self._subscription: JetStreamContext.PullSubscription | None = None
        self._last: Msg | None = None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        client = await self.broker.connect()
        try:
            await self.broker.ensure_stream(client, self.events.topic)
            self._subscription = await client.jetstream.pull_subscribe(
                f"{self.events.topic}.>",
                durable=self.settings.group,
                stream=stream_name(self.events.topic),
                config=ConsumerConfig(
                    ack_policy=AckPolicy.ALL,
                    deliver_policy=DeliverPolicy.ALL,
                    max_ack_pending=self.settings.max_events,
                    # Longer than events are held, so none is delivered again while held.
                    ack_wait=self.settings.max_seconds * 2 + self.settings.upload_timeout,
                ),
            )
            yield
        finally:
            self._subscription = None
            # Closed, not drained: nothing is left to send, and draining would wait for the
            # pull request in flight.
            await client.connection.close()

    async def receive(self, wait: float) -> Sequence[Received]:
        if self._subscription is None:
            raise RuntimeError("the consumer is not running")
        try:
            messages = await self._subscription.fetch(FETCH_BATCH, timeout=max(wait, 0.05))
        except TimeoutError:  # nothing arrived (nats-py raises its own or asyncio's)
            return []
        if messages:
            self._last = messages[-1]
        return [
            Received(message.data, "0", str(message.metadata.sequence.stream))
            for message in messages
        ]

    async def acknowledge(self) -> None:
        last, self._last = self._last, None
        if last is not None:
            await last.ack_sync()  # with AckPolicy.ALL, every one before it too
