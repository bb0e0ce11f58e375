"""NATS JetStream, through nats-py (NATS's own asyncio client).

Each event is published to the subject ``<EVENTS_TOPIC>.<type>`` (``....item.created``) and
counts as sent once JetStream has stored it (its ack). The stream holding them is
``EVENTS_TOPIC`` with its dots made underscores, over ``<EVENTS_TOPIC>.>``: made on the first
publish if nobody made it before (kept ``NATS_STREAM_MAX_AGE`` seconds, on disk). The event's id
is the ``Nats-Msg-Id`` header, so JetStream itself drops a duplicate published within its
duplicate window (a relay's retry, say); ``type`` and ``subject`` are headers too. One
connection sends them in order.
"""

import re
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Annotated

import nats.errors
import nats.js.errors
from loguru import logger
from nats.aio.client import Client as Connection
from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode

from ..config import comma_separated, feature_settings, load
from .envelope import Message


class NatsSettings(BaseSettings):
    model_config = feature_settings("NATS_")

    servers: Annotated[list[str], NoDecode] = Field(
        default=["nats://127.0.0.1:4222"],
        min_length=1,
        description="nats://host:port (tls:// for TLS), comma-separated.",
    )
    stream_max_age: float = Field(
        default=7 * 86_400.0,
        gt=0,
        description="Seconds the stream the service makes keeps an event (when it makes it).",
    )
    client_name: str = Field(default="{{ cookiecutter.project_slug }}", min_length=1)

    @field_validator("servers", mode="before")
    @classmethod
    def _split_servers(cls, value: object) -> object:
        return comma_separated(value)


@dataclass
class JetStream:
    """A connection (nats-py reconnects it) and its JetStream context, with the streams known to
    be there."""

    connection: Connection
    jetstream: JetStreamContext
    streams: set[str] = field(default_factory=set)


def stream_name(topic: str) -> str:
    """A stream's name may not contain dots."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", topic)


class Nats:
    name = "NATS"
    errors = (nats.errors.Error,)

    def __init__(self, timeout: float, settings: NatsSettings | None = None) -> None:
        self.settings = settings or load(NatsSettings)
        self.timeout = timeout

    async def connect(self) -> JetStream:
        connection = Connection()
        try:
            await connection.connect(
                self.settings.servers,
                name=self.settings.client_name,
                connect_timeout=max(1, int(self.timeout)),
                max_reconnect_attempts=-1,  # once connected, never give up
                error_cb=_log_error,
                disconnected_cb=_logging_disconnections(connection),
                reconnected_cb=_log_reconnected,
            )
        except BaseException:
            with suppress(Exception):
                await connection.close()
            raise
        return JetStream(connection, connection.jetstream(timeout=self.timeout))

    async def close(self, client: JetStream) -> None:
        await client.connection.drain()  # what it holds is sent first

    async def send(
        self, client: JetStream, topic: str, messages: Sequence[Message]
    ) -> AsyncGenerator[None, None]:
        await self.ensure_stream(client, topic)
        acks = []
        try:
            # Written in order on the one connection; then the acks are awaited in order.
            for message in messages:
                acks.append(
                    await client.jetstream.publish_async(
                        f"{topic}.{message.type}",
                        message.payload,
                        headers={
                            "Nats-Msg-Id": message.id,
                            "type": message.type,
                            "subject": message.subject,
                        },
                    )
                )
            for ack in acks:
                await ack
                yield
        finally:
            for ack in acks:
                ack.cancel()  # frees the client's slot of an ack that will not be awaited

    async def ping(self, client: JetStream) -> None:
        await client.jetstream.account_info()  # JetStream, not only the server, answers

    async def ensure_stream(self, client: JetStream, topic: str) -> None:
        name = stream_name(topic)
        if name in client.streams:
            return
        try:
            await client.jetstream.stream_info(name)
        except nats.js.errors.NotFoundError:
            await client.jetstream.add_stream(
                StreamConfig(
                    name=name,
                    subjects=[f"{topic}.>"],
                    storage=StorageType.FILE,
                    max_age=self.settings.stream_max_age,
                )
            )
            logger.info("Made the NATS stream {} for {}.>", name, topic)
        client.streams.add(name)


async def _log_error(error: Exception) -> None:
    logger.warning("NATS: {!r}", error)


def _logging_disconnections(connection: Connection) -> Callable[[], Awaitable[None]]:
    async def log() -> None:
        if not (connection.is_closed or connection.is_draining):  # not when it is closed
            logger.warning("NATS: disconnected; reconnecting")

    return log


async def _log_reconnected() -> None:
    logger.info("NATS: reconnected")
