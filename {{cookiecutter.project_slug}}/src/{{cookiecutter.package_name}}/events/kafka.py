"""The broker: Kafka, through aiokafka (the asyncio client the Kafka ecosystem maintains).

Every call is bounded: aiokafka's ``start()`` and ``send_and_wait()`` wait as long as the broker
is away, so a publish gets ``EVENTS_PUBLISH_TIMEOUT`` and fails with ``PublishError`` after it,
and the connection is made in the background, with backoff, never holding up startup.
Producer settings: ``acks=all`` (every in-sync replica has the event before it counts as sent)
and, unless ``KAFKA_IDEMPOTENT=false``, the idempotent producer (its own retries never
duplicate an event). The key is the event's subject, so one subject's events keep their order.
"""

import asyncio
import random
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from loguru import logger
from pydantic import Field
from pydantic_settings import BaseSettings

from ..config import feature_settings
from .envelope import Message

FIRST_BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 30.0


class KafkaSettings(BaseSettings):
    model_config = feature_settings("KAFKA_")

    bootstrap_servers: str = Field(
        default="127.0.0.1:9092", min_length=1, description="host:port, comma-separated."
    )
    idempotent: bool = Field(
        default=True,
        description="The idempotent producer: needs a broker that grants producer ids "
        "(Kafka does; some Kafka-compatible brokers do not).",
    )
    client_id: str = Field(default="{{ cookiecutter.project_slug }}", min_length=1)


class PublishError(Exception):
    """The broker did not take every event (away, refused one, or too slow): try again later
    from ``acknowledged``, the number it took, in order, before the failure."""

    def __init__(self, reason: str, acknowledged: int = 0) -> None:
        super().__init__(reason)
        self.acknowledged = acknowledged


class KafkaPublisher:
    def __init__(self, settings: KafkaSettings, timeout: float) -> None:
        self.settings = settings
        self.timeout = timeout
        self._producer: AIOKafkaProducer | None = None
        self._connected = asyncio.Event()

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Connected in the background inside; flushed and closed (bounded) on the way out."""
        connecting = asyncio.create_task(self._connect(), name="kafka connect")
        try:
            yield
        finally:
            connecting.cancel()
            with suppress(asyncio.CancelledError):
                await connecting
            producer, self._producer = self._producer, None
            self._connected.clear()
            if producer is not None:
                await self._stop(producer)

    async def publish(self, topic: str, messages: Sequence[Message]) -> int:
        """Publish ``messages`` in order, within the timeout (waiting for the connection, as in
        a service just started): how many, from the first, the broker acknowledged. They are
        handed to the producer together, which batches them (one round trip per partition)."""
        acknowledged = 0
        try:
            async with asyncio.timeout(self.timeout):
                await self._connected.wait()
                producer = self._producer
                if producer is None:
                    raise PublishError("the publisher is stopped")
                deliveries = [
                    await producer.send(
                        topic,
                        message.payload,
                        key=message.subject.encode(),
                        headers=[("type", message.type.encode()), ("id", message.id.encode())],
                    )
                    for message in messages
                ]
                for delivery in deliveries:
                    await delivery
                    acknowledged += 1
        except TimeoutError as error:
            raise PublishError(
                f"not acknowledged within {self.timeout:g} s", acknowledged
            ) from error
        except KafkaError as error:
            raise PublishError(type(error).__name__, acknowledged) from error
        return acknowledged

    async def ping(self) -> None:
        """The readiness check: the broker answers a metadata request."""
        producer = self._producer
        if producer is None:
            raise PublishError("not connected to the broker")
        await producer.client.fetch_all_metadata()

    async def _connect(self) -> None:
        backoff = FIRST_BACKOFF_SECONDS
        while True:
            producer = AIOKafkaProducer(
                bootstrap_servers=self.settings.bootstrap_servers,
                client_id=self.settings.client_id,
                acks="all",
                enable_idempotence=self.settings.idempotent,
                request_timeout_ms=int(self.timeout * 1000),
            )
            try:
                async with asyncio.timeout(self.timeout):
                    await producer.start()
            except asyncio.CancelledError:  # the app stopped while connecting: close it all
                await self._stop(producer)
                raise
            except (TimeoutError, KafkaError, OSError) as error:
                await self._stop(producer)
                logger.warning("Kafka not reachable ({!r}); retrying", error)
                await asyncio.sleep(backoff * random.uniform(0.5, 1.0))  # noqa: S311  # nosec B311
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            self._producer = producer
            self._connected.set()
            logger.info("Connected to Kafka at {}", self.settings.bootstrap_servers)
            return

    async def _stop(self, producer: AIOKafkaProducer) -> None:
        try:
            async with asyncio.timeout(self.timeout):
                await producer.stop()  # sends what it holds first
        except (TimeoutError, KafkaError, OSError) as error:
            logger.warning("Kafka producer not stopped cleanly: {!r}", error)
