"""The Redis client: one pool per process, bounded, and a timeout on every call (connecting
too), so that Redis away costs a request at most ``REDIS_TIMEOUT``, never a hang."""

from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import RedisError

from .settings import RedisSettings

# What a call raises when Redis is away or too slow.
ERRORS = (RedisError, OSError, TimeoutError)


def connect(settings: RedisSettings) -> Redis:
    """A client; it connects on first use, and aclose() disconnects its whole pool."""
    pool = BlockingConnectionPool.from_url(
        settings.url.get_secret_value(),
        max_connections=settings.max_connections,
        timeout=settings.timeout,  # waiting for a free connection of the pool
        socket_connect_timeout=settings.timeout,
        socket_timeout=settings.timeout,
        client_name=settings.client_name,
        health_check_interval=30,
    )
    return Redis.from_pool(pool)  # the client owns its pool: closing it closes the connections
