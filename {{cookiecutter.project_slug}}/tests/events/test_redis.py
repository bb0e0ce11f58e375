"""Redis Streams' own way: the stream kept to about its maximum length."""

import asyncio

from pydantic import SecretStr
from redis.asyncio import Redis

from {{ cookiecutter.package_name }}.events.envelope import new_event
from {{ cookiecutter.package_name }}.events.publisher import Publisher
from {{ cookiecutter.package_name }}.events.redis import Redis as RedisBroker
from {{ cookiecutter.package_name }}.events.redis import RedisSettings

from support.broker import RedisEvents


def test_the_stream_is_trimmed_to_about_its_maximum_length(
    broker: RedisEvents, events_topic: str
) -> None:
    settings = RedisSettings(url=SecretStr(broker.url), stream_max_length=10)
    batch = [new_event("item.created", str(n), {}, "test").message() for n in range(100)]

    async def publish() -> int:
        publisher = Publisher(RedisBroker(2.0, settings), 2.0)
        async with publisher.running():
            for _ in range(5):
                await publisher.publish(events_topic, batch)
        async with Redis.from_url(broker.url) as redis:
            return int(await redis.xlen(events_topic))

    # Trimmed by whole nodes of the stream (about a hundred entries), never below the maximum.
    assert 10 <= asyncio.run(publish()) < 250
