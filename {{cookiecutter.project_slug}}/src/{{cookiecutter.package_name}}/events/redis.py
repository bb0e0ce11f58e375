"""Redis Streams, through redis-py's asyncio client (Redis's own).

Each event is an entry of the stream ``EVENTS_TOPIC`` (``XADD``) with the fields ``id``,
``type``, ``subject`` and ``payload`` (the envelope); the entry's id, given by Redis, orders
them. A batch goes in one round trip (a pipeline, in order), and an event counts as sent once
Redis answered with its entry id. Consumers read with a consumer group (``XREADGROUP``,
``XACK``). The stream is trimmed to about ``REDIS_STREAM_MAX_LENGTH`` entries (Redis keeps it
in memory): size it for what consumers may fall behind by.
Redis persists as it is configured to (AOF ``appendfsync everysec`` loses at most a second's
writes when it dies): a broker for events only as durable as that.
"""

from collections.abc import AsyncGenerator, Sequence

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings
from redis.asyncio import Redis as Connection
from redis.exceptions import RedisError

from ..config import feature_settings, load
from .envelope import Message


class RedisSettings(BaseSettings):
    model_config = feature_settings("REDIS_")

    url: SecretStr = Field(
        default=SecretStr("redis://127.0.0.1:6379/0"),
        description="redis://[:password@]host:port/db (rediss:// for TLS).",
    )
    stream_max_length: int = Field(
        default=1_000_000,
        ge=1,
        description="Entries the stream keeps, about (older ones are trimmed).",
    )
    client_name: str = Field(default="{{ cookiecutter.project_slug }}", min_length=1)


class Redis:
    name = "Redis"
    errors = (RedisError,)

    def __init__(self, timeout: float, settings: RedisSettings | None = None) -> None:
        self.settings = settings or load(RedisSettings)
        self.timeout = timeout

    async def connect(self) -> Connection:
        connection: Connection = Connection.from_url(
            self.settings.url.get_secret_value(),
            client_name=self.settings.client_name,
            socket_connect_timeout=self.timeout,
            socket_timeout=self.timeout,
            health_check_interval=30,
        )
        try:
            await connection.ping()  # connections are made on first use: fail here instead
        except BaseException:
            await connection.aclose()
            raise
        return connection

    async def close(self, connection: Connection) -> None:
        await connection.aclose()

    async def send(
        self, connection: Connection, topic: str, messages: Sequence[Message]
    ) -> AsyncGenerator[None, None]:
        async with connection.pipeline(transaction=False) as pipeline:
            for message in messages:
                pipeline.xadd(
                    topic,
                    {
                        "id": message.id,
                        "type": message.type,
                        "subject": message.subject,
                        "payload": message.payload,
                    },
                    maxlen=self.settings.stream_max_length,
                    approximate=True,
                )
            answers = await pipeline.execute(raise_on_error=False)
        for answer in answers:
            if isinstance(answer, Exception):
                raise answer
            yield

    async def ping(self, connection: Connection) -> None:
        await connection.ping()
