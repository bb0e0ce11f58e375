"""The broker the events tests talk to: the NATS server (with JetStream) at ``NATS_SERVERS``
(the service's default, 127.0.0.1:4222, unless the variable says otherwise, as in CI). Each
test's topic is a stream of its own, made as the service would and deleted after the test;
tests read it by sequence, from the first."""

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import nats
from nats.js import JetStreamContext
from nats.js.api import StreamConfig
from nats.js.errors import ServerError

from {{ cookiecutter.package_name }}.config import load
from {{ cookiecutter.package_name }}.events.nats import Nats, NatsSettings, stream_name

from .events import Delivered, EventBroker, first
from .forwarding import ForwardedBroker, forwarded, nowhere

BROKER = Nats  # the service's client for it
# JetStream's "error creating store for stream".
STORE_NOT_CREATED = 10049


class NatsEvents:
    def __init__(self, url: str) -> None:
        self.url = url
        self.environment = {"NATS_SERVERS": url}

    @asynccontextmanager
    async def jetstream(self) -> AsyncIterator[JetStreamContext]:
        connection = await nats.connect(self.url)
        try:
            yield connection.jetstream()
        finally:
            await connection.close()

    def consumed(self, topic: str, count: int, seconds: float = 30.0) -> list[Delivered]:
        stream = stream_name(topic)

        async def consume() -> list[Delivered]:
            async with self.jetstream() as jetstream:

                async def read() -> list[Delivered]:
                    stored = (await jetstream.stream_info(stream)).state.messages
                    sequences = range(1, stored + 1)
                    messages = [await jetstream.get_msg(stream, seq) for seq in sequences]
                    return [
                        Delivered(
                            id=message.headers["Nats-Msg-Id"],
                            type=message.headers["type"],
                            subject=message.headers["subject"],
                            payload=message.data or b"",
                        )
                        for message in messages
                        if message.headers
                    ]

                return await first(count, seconds, read)

        return asyncio.run(consume())

    def open_topic(self, topic: str) -> None:
        async def add() -> None:
            async with self.jetstream() as jetstream:
                config = StreamConfig(name=stream_name(topic), subjects=[f"{topic}.>"])
                deadline = time.monotonic() + 10
                while True:
                    try:
                        await jetstream.add_stream(config)
                        return
                    except ServerError as error:
                        # The server fails to make a stream's folder while another client
                        # deletes the account's last stream (its folder goes with it): again.
                        if error.err_code != STORE_NOT_CREATED or time.monotonic() > deadline:
                            raise
                    await asyncio.sleep(0.05)

        asyncio.run(add())

    def close_topic(self, topic: str) -> None:
        async def delete() -> None:
            async with self.jetstream() as jetstream:
                await jetstream.delete_stream(stream_name(topic))

        asyncio.run(delete())


def server_url() -> str:
    return load(NatsSettings).servers[0]


@contextmanager
def session_broker() -> Iterator[NatsEvents]:
    yield NatsEvents(server_url())


@contextmanager
def broker_away(session: EventBroker) -> Iterator[ForwardedBroker]:
    """The session's broker, behind a port that forwards to it only from ``back()`` on."""
    with forwarded(session, server_url(), "NATS_SERVERS") as away:
        yield away


def unreachable() -> dict[str, str]:
    """Variables that point the service at a broker that is not there."""
    return {"NATS_SERVERS": nowhere(server_url())}
