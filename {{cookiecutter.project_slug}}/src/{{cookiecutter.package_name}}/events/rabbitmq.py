"""RabbitMQ, through aio-pika (the asyncio client RabbitMQ's documentation points to).

Events go to a durable topic exchange named ``EVENTS_TOPIC``, routed by their type
(``item.created``), so a consumer binds its own queue to what it wants (``item.*``, ``#``). They
are persistent, and each counts as sent only once the broker confirmed it (publisher
confirms); the properties carry the event's id (``message_id``), type and, in the headers, its
subject. One channel publishes them one after another, so they stay in order.
RabbitMQ drops what no queue is bound to: bind consumers' queues before they need events.
"""

from collections.abc import AsyncGenerator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractRobustConnection
from aio_pika.exceptions import AMQPError, ChannelInvalidStateError
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings

from ..config import feature_settings, load
from .envelope import Message


class RabbitMQSettings(BaseSettings):
    model_config = feature_settings("RABBITMQ_")

    url: SecretStr = Field(
        default=SecretStr("amqp://guest:guest@127.0.0.1:5672/"),
        description="amqp://user:password@host:port/vhost (amqps:// for TLS).",
    )
    connection_name: str = Field(
        default="{{ cookiecutter.project_slug }}",
        min_length=1,
        description="How the broker's management UI names this service's connections.",
    )


@dataclass
class Channel:
    """A connection (aio-pika reconnects it, and declares the exchanges again) and its
    confirming channel, with the exchanges declared so far."""

    connection: AbstractRobustConnection
    channel: AbstractChannel
    exchanges: dict[str, AbstractExchange] = field(default_factory=dict)


class RabbitMQ:
    name = "RabbitMQ"
    errors = (AMQPError, ChannelInvalidStateError)

    def __init__(self, timeout: float, settings: RabbitMQSettings | None = None) -> None:
        self.settings = settings or load(RabbitMQSettings)
        self.timeout = timeout

    async def connect(self) -> Channel:
        connection = await aio_pika.connect_robust(
            self.settings.url.get_secret_value(),
            timeout=self.timeout,
            client_properties={"connection_name": self.settings.connection_name},
        )
        try:
            channel = await connection.channel(publisher_confirms=True)
        except BaseException:
            with suppress(Exception):
                await connection.close()
            raise
        return Channel(connection, channel)

    async def close(self, client: Channel) -> None:
        await client.connection.close()

    async def send(
        self, client: Channel, topic: str, messages: Sequence[Message]
    ) -> AsyncGenerator[None, None]:
        exchange = client.exchanges.get(topic)
        if exchange is None:
            exchange = await client.channel.declare_exchange(
                topic, aio_pika.ExchangeType.TOPIC, durable=True
            )
            client.exchanges[topic] = exchange
        for message in messages:
            await exchange.publish(
                aio_pika.Message(
                    message.payload,
                    message_id=message.id,
                    type=message.type,
                    headers={"subject": message.subject},
                    content_type="application/json",
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                ),
                routing_key=message.type,
                mandatory=False,  # nobody bound yet is not a failure of the publisher
            )
            yield

    async def ping(self, client: Channel) -> None:
        # A round trip on the channel: the built-in exchange is always there.
        await client.channel.get_exchange("amq.topic", ensure=True)
