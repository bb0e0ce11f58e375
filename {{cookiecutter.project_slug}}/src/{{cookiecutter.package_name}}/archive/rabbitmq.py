"""The archive's consumer for RabbitMQ: a durable queue (``ARCHIVE_GROUP``) bound to every event
of the exchange ``EVENTS_TOPIC``, acknowledged only once what was read is stored (the broker
holds at most ``ARCHIVE_MAX_EVENTS`` unacknowledged). RabbitMQ keeps no offsets: an object is
named by its first and last event's id. The queue collects events from its first start on;
several archivers on it share the events."""

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import aio_pika
from aio_pika.abc import AbstractIncomingMessage

from ..config import load
from ..events.rabbitmq import RabbitMQSettings
from ..events.settings import EventSettings
from .batches import Received
from .settings import ArchiveSettings


class RabbitMQSource:
    def __init__(self, settings: ArchiveSettings, events: EventSettings) -> None:
        self.settings = settings
        self.events = events
        self.rabbitmq = load(RabbitMQSettings)
        self._delivered: asyncio.Queue[AbstractIncomingMessage] = asyncio.Queue()
        self._last: AbstractIncomingMessage | None = None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        connection = await aio_pika.connect_robust(
            self.rabbitmq.url.get_secret_value(),
            client_properties={"connection_name": f"{self.rabbitmq.connection_name}-archive"},
        )
        async with connection:
            channel = await connection.channel()
            await channel.set_qos(prefetch_count=self.settings.max_events)
            exchange = await channel.declare_exchange(
                self.events.topic, aio_pika.ExchangeType.TOPIC, durable=True
            )
            queue = await channel.declare_queue(self.settings.group, durable=True)
            await queue.bind(exchange, "#")
            await queue.consume(self._delivered.put)
            yield

    async def receive(self, wait: float) -> Sequence[Received]:
        try:
            first = await asyncio.wait_for(self._delivered.get(), wait)
        except TimeoutError:
            return []
        messages = [first]
        while not self._delivered.empty():
            messages.append(self._delivered.get_nowait())
        self._last = messages[-1]
        return [
            Received(message.body, "0", str(message.message_id or message.delivery_tag))
            for message in messages
        ]

    async def acknowledge(self) -> None:
        last, self._last = self._last, None
        if last is not None:
            await last.ack(multiple=True)  # and every one before it on this channel
