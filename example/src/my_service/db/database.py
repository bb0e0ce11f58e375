"""The connection to the database: an async engine and its session factory, one per process.

The app builds it in its lifespan, after gunicorn has forked the workers (a pool must not cross a
fork), and closes it at shutdown. Nothing connects until the first use, so the service starts
while its database is down, missing or not migrated; readiness reports it, and requests that
need it answer 503.
"""

from collections.abc import AsyncIterator
from contextlib import AbstractContextManager, asynccontextmanager
from typing import Any

from sqlalchemy import URL, event, make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from . import pool_metrics
from .faults import unavailable_on_fault
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

    def unavailable_on_fault(self) -> AbstractContextManager[None]:
        """Inside: a database away, missing or not migrated is a 503, not a 500 (faults.py)."""
        return unavailable_on_fault(self.url)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session whose faults are 503s; leaving it rolls back what was not committed."""
        async with self.sessions() as session:
            with self.unavailable_on_fault():
                yield session

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
