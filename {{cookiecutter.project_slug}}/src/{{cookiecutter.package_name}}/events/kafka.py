"""The broker: Kafka, through aiokafka (the asyncio client the Kafka ecosystem maintains).

Every call is bounded: aiokafka's ``start()`` and ``send_and_wait()`` wait as long as the broker
is away, so a publish gets ``EVENTS_PUBLISH_TIMEOUT`` and fails with ``PublishError`` after it,
and startup waits for the connection at most ``STARTUP_WAIT_SECONDS``, then it is made in the
background, with backoff.
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
STARTUP_WAIT_SECONDS = 2.0


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
        self._stopping = asyncio.Event()

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Connected inside (in the background if the broker does not answer at once); flushed
        and closed, bounded, on the way out."""
        self._stopping.clear()
        connecting = asyncio.create_task(self._connect(), name="kafka connect")
        # Serve connected when the broker answers at once (readiness includes it).
        await asyncio.wait([connecting], timeout=min(self.timeout, STARTUP_WAIT_SECONDS))
        try:
            yield
        finally:
            # Not cancelled: a start interrupted half-way leaves aiokafka's bootstrap connection
            # open. The attempt in progress ends within the timeout, and no other begins.
            self._stopping.set()
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
        while not self._stopping.is_set():
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
            except (TimeoutError, KafkaError, OSError) as error:
                await self._stop(producer)
                logger.warning("Kafka not reachable ({!r}); retrying", error)
                pause = backoff * random.uniform(0.5, 1.0)  # noqa: S311  # nosec B311
                with suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), pause)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            if self._stopping.is_set():  # connected as the app stopped
                await self._stop(producer)
                return
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
