"""The connection to the database: an async engine and its session factory, one per process.

The app builds it in its lifespan, after gunicorn has forked the workers (a pool must not cross a
fork), and closes it at shutdown. Nothing connects until the first use, so the service starts
while its database is down; readiness reports it, and requests that need it answer 503.
"""

from typing import Any

from sqlalchemy import URL, event, make_url, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from . import pool_metrics
from .settings import DatabaseSettings


class Database:
    def __init__(self, settings: DatabaseSettings) -> None:
        self.url = make_url(settings.url.get_secret_value())
        self.engine = create_async_engine(self.url, **engine_options(self.url, settings))
        # Objects stay readable after the commit, which runs once the handler has returned.
        self.sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine, expire_on_commit=False
        )
        if is_sqlite(self.url):
            event.listen(self.engine.sync_engine, "connect", configure_sqlite)
        pool_metrics.watch(self.engine)

    async def ping(self) -> None:
        """The readiness check: one round trip on a pooled connection."""
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def close(self) -> None:
        await self.engine.dispose()


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def engine_options(url: URL, settings: DatabaseSettings) -> dict[str, Any]:
    return {
        "pool_size": settings.pool_size,
        "max_overflow": settings.max_overflow,
        "pool_timeout": settings.timeout,
        # asyncpg: how long to wait for a new connection; SQLite: for another process's lock.
        "connect_args": {"timeout": settings.timeout},
        # A server restarts and drops idle connections: test each as it leaves the pool (one
        # cheap round trip) so a stale one is replaced instead of failing the request. A SQLite
        # file has no connection to lose.
        "pool_pre_ping": not is_sqlite(url),
    }


def configure_sqlite(dbapi_connection: Any, _: object) -> None:
    """Per connection: write-ahead logging lets readers (other workers) run beside a writer,
    and SQLite only enforces foreign keys when asked to."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
