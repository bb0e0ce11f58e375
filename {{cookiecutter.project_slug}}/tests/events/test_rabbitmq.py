"""RabbitMQ's own ways: events routed by their type, and kept on disk."""

import asyncio

import aio_pika
from pydantic import SecretStr

from {{ cookiecutter.package_name }}.events.envelope import new_event
from {{ cookiecutter.package_name }}.events.publisher import Publisher
from {{ cookiecutter.package_name }}.events.rabbitmq import RabbitMQ, RabbitMQSettings

from support.broker import RabbitMQEvents


def test_a_queue_bound_to_one_type_gets_those_events_persistent(
    broker: RabbitMQEvents, events_topic: str
) -> None:
    events = [new_event(kind, "1", {}, "test") for kind in ("item.created", "item.deleted")]

    async def publish_and_read() -> list[aio_pika.abc.AbstractIncomingMessage]:
        async with await aio_pika.connect(broker.url) as connection:
            channel = await connection.channel()
            exchange = await channel.get_exchange(events_topic)
            queue = await channel.declare_queue(exclusive=True)
            await queue.bind(exchange, "item.deleted")

            publisher = Publisher(RabbitMQ(2.0, RabbitMQSettings(url=SecretStr(broker.url))), 2.0)
            async with publisher.running():
                await publisher.publish(events_topic, [event.message() for event in events])

            received = []
            while (message := await queue.get(fail=False, timeout=2)) is not None:
                received.append(message)
                await message.ack()
            return received

    received = asyncio.run(publish_and_read())

    assert [message.message_id for message in received] == [str(events[1].id)]
    assert received[0].delivery_mode == aio_pika.DeliveryMode.PERSISTENT
    assert received[0].content_type == "application/json"
