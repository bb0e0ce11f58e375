"""The broker the events tests talk to: the RabbitMQ server at ``RABBITMQ_URL`` (the service's
default, 127.0.0.1:5672, unless the variable says otherwise, as in CI). Each test's topic is an
exchange of its own, with a queue bound to all its events that the test reads (and removes)."""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import aio_pika
from aio_pika.abc import AbstractChannel

from {{ cookiecutter.package_name }}.config import load
from {{ cookiecutter.package_name }}.events.rabbitmq import RabbitMQ, RabbitMQSettings

from .events import Delivered, EventBroker, first
from .forwarding import ForwardedBroker, forwarded, nowhere

BROKER = RabbitMQ  # the service's client for it


class RabbitMQEvents:
    def __init__(self, url: str) -> None:
        self.url = url
        self.environment = {"RABBITMQ_URL": url}

    def consumed(self, topic: str, count: int, seconds: float = 30.0) -> list[Delivered]:
        async def read(channel: AbstractChannel) -> list[Delivered]:
            queue = await channel.get_queue(topic)
            received = []
            # Not acknowledged: back in the queue, in order, when the channel closes.
            while (message := await queue.get(fail=False)) is not None:
                received.append(
                    Delivered(
                        id=str(message.message_id),
                        type=str(message.type),
                        subject=str(message.headers["subject"]),
                        payload=message.body,
                    )
                )
            return received

        async def consume() -> list[Delivered]:
            async with await aio_pika.connect(self.url) as connection:

                async def attempt() -> list[Delivered]:
                    async with connection.channel() as channel:
                        return await read(channel)

                return await first(count, seconds, attempt)

        return asyncio.run(consume())

    def open_topic(self, topic: str) -> None:
        async def declare() -> None:
            async with await aio_pika.connect(self.url) as connection:
                channel = await connection.channel()
                exchange = await channel.declare_exchange(
                    topic, aio_pika.ExchangeType.TOPIC, durable=True
                )
                queue = await channel.declare_queue(topic)
                await queue.bind(exchange, "#")

        asyncio.run(declare())

    def close_topic(self, topic: str) -> None:
        """Its exchange and queues: the test's own, and an archive's (``<topic>-archive``)."""

        async def delete() -> None:
            async with await aio_pika.connect(self.url) as connection:
                channel = await connection.channel()
                for queue in (topic, f"{topic}-archive"):
                    await channel.queue_delete(queue)  # nothing to do when it is not there
                await channel.exchange_delete(topic)

        asyncio.run(delete())


def server_url() -> str:
    return load(RabbitMQSettings).url.get_secret_value()


@contextmanager
def session_broker() -> Iterator[RabbitMQEvents]:
    yield RabbitMQEvents(server_url())


@contextmanager
def broker_away(session: EventBroker) -> Iterator[ForwardedBroker]:
    """The session's broker, behind a port that forwards to it only from ``back()`` on."""
    with forwarded(session, server_url(), "RABBITMQ_URL") as away:
        yield away


def unreachable() -> dict[str, str]:
    """Variables that point the service at a broker that is not there."""
    return {"RABBITMQ_URL": nowhere(server_url())}
