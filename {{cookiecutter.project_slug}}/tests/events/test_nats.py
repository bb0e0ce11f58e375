"""NATS JetStream's own ways: a stream made when missing, and a duplicate dropped by event id."""

import asyncio
from typing import Any

from {{ cookiecutter.package_name }}.events.envelope import new_event
from {{ cookiecutter.package_name }}.events.nats import Nats, NatsSettings, stream_name
from {{ cookiecutter.package_name }}.events.publisher import Publisher

from support.broker import NatsEvents


def publisher(broker: NatsEvents) -> Publisher[Any]:
    return Publisher(Nats(2.0, NatsSettings(servers=[broker.url], stream_max_age=3600)), 2.0)


def test_an_event_published_twice_is_stored_once(broker: NatsEvents, events_topic: str) -> None:
    message = new_event("item.created", "1", {}, "test").message()

    async def publish_twice() -> int:
        client = publisher(broker)
        async with client.running():
            await client.publish(events_topic, [message])
            await client.publish(events_topic, [message])  # as a relay's retry would
        async with broker.jetstream() as jetstream:
            return (await jetstream.stream_info(stream_name(events_topic))).state.messages

    assert asyncio.run(publish_twice()) == 1


def test_the_stream_is_made_when_missing(broker: NatsEvents, events_topic: str) -> None:
    broker.close_topic(events_topic)  # nobody made it

    async def publish() -> tuple[list[str], float]:
        client = publisher(broker)
        async with client.running():
            await client.publish(events_topic, [new_event("item.created", "1", {}, "t").message()])
        async with broker.jetstream() as jetstream:
            info = await jetstream.stream_info(stream_name(events_topic))
            return list(info.config.subjects or []), info.config.max_age or 0

    subjects, max_age = asyncio.run(publish())

    assert subjects == [f"{events_topic}.>"]
    assert max_age == 3600
    assert len(broker.consumed(events_topic, 1)) == 1
