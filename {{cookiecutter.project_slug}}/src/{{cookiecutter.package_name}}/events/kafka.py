"""Kafka, through aiokafka (the asyncio client the Kafka ecosystem maintains).

Producer settings: ``acks=all`` (every in-sync replica has the event before it counts as sent)
and, unless ``KAFKA_IDEMPOTENT=false``, the idempotent producer (its own retries never
duplicate an event). The topic is ``EVENTS_TOPIC``; the key is the event's subject, so one
subject's events go to one partition, in order; the headers carry its type and id.
aiokafka's ``start()`` and ``send_and_wait()`` wait as long as the broker is away: the
publisher (``publisher.py``) bounds them.
"""

from collections.abc import AsyncGenerator, Sequence
from contextlib import suppress

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from pydantic import Field
from pydantic_settings import BaseSettings

from ..config import feature_settings, load
from .envelope import Message


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


class Kafka:
    name = "Kafka"
    errors = (KafkaError,)

    def __init__(self, timeout: float, settings: KafkaSettings | None = None) -> None:
        self.settings = settings or load(KafkaSettings)
        self.timeout = timeout

    async def connect(self) -> AIOKafkaProducer:
        producer = AIOKafkaProducer(
            bootstrap_servers=self.settings.bootstrap_servers,
            client_id=self.settings.client_id,
            acks="all",
            enable_idempotence=self.settings.idempotent,
            request_timeout_ms=int(self.timeout * 1000),
        )
        try:
            await producer.start()
        except BaseException:
            # A start that failed or was cut short leaves its bootstrap connection open.
            with suppress(Exception):
                await producer.stop()
            raise
        return producer

    async def close(self, producer: AIOKafkaProducer) -> None:
        await producer.stop()

    async def send(
        self, producer: AIOKafkaProducer, topic: str, messages: Sequence[Message]
    ) -> AsyncGenerator[None, None]:
        # Handed to the producer together, which batches them (one round trip per partition).
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
            yield

    async def ping(self, producer: AIOKafkaProducer) -> None:
        await producer.client.fetch_all_metadata()
