"""The Redis the tests use (``REDIS_URL``, else the local server), and its keys of a test."""

import os

from redis import Redis

URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def delete_keys(prefix: str) -> None:
    with Redis.from_url(URL) as client:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)


def count_keys(prefix: str) -> int:
    with Redis.from_url(URL) as client:
        return sum(1 for _ in client.scan_iter(match=f"{prefix}*", count=1000))
