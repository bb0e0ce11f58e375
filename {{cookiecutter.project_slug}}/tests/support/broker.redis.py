"""The broker the events tests talk to: the Redis server at ``REDIS_URL`` (the service's
default, 127.0.0.1:6379, unless the variable says otherwise, as in CI). Each test's topic is a
stream of its own, deleted after the test; tests read it from its first entry."""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from redis.asyncio import Redis

from {{ cookiecutter.package_name }}.config import load
from {{ cookiecutter.package_name }}.events.redis import Redis as RedisBroker
from {{ cookiecutter.package_name }}.events.redis import RedisSettings

from .events import Delivered, EventBroker, first
from .forwarding import ForwardedBroker, forwarded, nowhere

BROKER = RedisBroker  # the service's client for it


class RedisEvents:
    def __init__(self, url: str) -> None:
        self.url = url
        self.environment = {"REDIS_URL": url}

    def consumed(self, topic: str, count: int, seconds: float = 30.0) -> list[Delivered]:
        async def consume() -> list[Delivered]:
            async with Redis.from_url(self.url) as redis:

                async def read() -> list[Delivered]:
                    # (id, fields) pairs, as bytes: redis-py types them loosely.
                    entries = cast(
                        list[tuple[bytes, dict[bytes, bytes]]],
                        await redis.xrange(topic, count=count),
                    )
                    return [
                        Delivered(
                            id=fields[b"id"].decode(),
                            type=fields[b"type"].decode(),
                            subject=fields[b"subject"].decode(),
                            payload=fields[b"payload"],
                        )
                        for _, fields in entries
                    ]

                return await first(count, seconds, read)

        return asyncio.run(consume())

    def open_topic(self, topic: str) -> None:
        """Nothing to do: the stream is made by its first entry."""

    def close_topic(self, topic: str) -> None:
        async def delete() -> None:
            async with Redis.from_url(self.url) as redis:
                await redis.delete(topic)

        asyncio.run(delete())


def server_url() -> str:
    return load(RedisSettings).url.get_secret_value()


@contextmanager
def session_broker() -> Iterator[RedisEvents]:
    yield RedisEvents(server_url())


@contextmanager
def broker_away(session: EventBroker) -> Iterator[ForwardedBroker]:
    """The session's broker, behind a port that forwards to it only from ``back()`` on."""
    with forwarded(session, server_url(), "REDIS_URL") as away:
        yield away


def unreachable() -> dict[str, str]:
    """Variables that point the service at a broker that is not there."""
    return {"REDIS_URL": nowhere(server_url())}
