"""The test database, a pytest plugin (conftest.py loads it).

Each test session gets a new database: a SQLite file in a temporary folder where the service
uses SQLite; where it uses PostgreSQL, a database created on the server ``TEST_DATABASE_URL``
names (by default the service's own) and dropped at the end.
It is migrated once and ``DATABASE_URL`` points every ``Settings()`` at it; each test starts
with empty tables.
"""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import URL, Executable, make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from my_service.config import Environment, Settings
from my_service.db import schema
from my_service.db.base import Base
from my_service.db.database import Database, is_sqlite
from my_service.db.feature import DatabaseFeature
from my_service.db.settings import DatabaseSettings
from my_service.features import enabled_features
from my_service.main import create_app

from support.proxy import TcpProxy

SERVER_VARIABLE = "TEST_DATABASE_URL"


def server_url() -> URL | None:
    """The PostgreSQL server the tests make their database on: ``TEST_DATABASE_URL``, else the
    server of the service's own default ``DATABASE_URL`` (through its maintenance database,
    ``postgres``). None where the service uses SQLite: a file per session then."""
    given = os.environ.get(SERVER_VARIABLE)
    default: SecretStr = DatabaseSettings.model_fields["url"].default
    settings = DatabaseSettings(url=SecretStr(given) if given else default)
    url = make_url(settings.url.get_secret_value())
    if is_sqlite(url):
        return None
    return url if given else url.set(database="postgres")


@contextmanager
def new_database(folder: Path) -> Iterator[URL]:
    """A new, empty database, gone afterwards."""
    server = server_url()
    if server is None:
        yield make_url(f"sqlite+aiosqlite:///{folder / 'test.sqlite3'}")
        return
    name = f"test_{uuid.uuid4().hex[:12]}"
    asyncio.run(execute(server, f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name)
    finally:
        asyncio.run(execute(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def execute(url: URL, *statements: str | Executable) -> None:
    """Run statements outside a transaction (CREATE DATABASE cannot run inside one)."""
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            for statement in statements:
                await connection.execute(
                    text(statement) if isinstance(statement, str) else statement
                )
    finally:
        await engine.dispose()


def emptying_statements(url: URL) -> list[str | Executable]:
    """Delete every row and restart the ids, so each test sees a new database."""
    tables = list(reversed(Base.metadata.sorted_tables))
    if url.get_backend_name() == "postgresql":
        return [f"TRUNCATE {', '.join(table.name for table in tables)} RESTART IDENTITY CASCADE"]
    return [*(table.delete() for table in tables), "DELETE FROM sqlite_sequence"]


def settings_for(url: URL) -> DatabaseSettings:
    return DatabaseSettings(url=SecretStr(url.render_as_string(hide_password=False)))


def app_on(url: URL) -> FastAPI:
    """The service with its database at ``url`` and its other features as enabled."""
    database = DatabaseFeature(settings_for(url))
    settings = Settings(environment=Environment.TEST)
    features = [
        database if isinstance(f, DatabaseFeature) else f for f in enabled_features(settings)
    ]
    return create_app(settings, features)


def assert_database_unavailable(response: httpx2.Response, detail: str) -> None:
    """The answer to a request that needs a database it cannot use: 503 problem+json."""
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == detail


async def check_readiness(url: URL) -> None:
    """The database's readiness check, on its own: raises ``NotReadyError`` with the reason."""
    database = Database(settings_for(url))
    try:
        await schema.check(database)
    finally:
        await database.close()


@pytest.fixture(scope="session", autouse=True)
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[URL]:
    with new_database(tmp_path_factory.mktemp("database")) as url:
        schema.upgrade(settings_for(url))
        with pytest.MonkeyPatch.context() as environment:
            environment.setenv("DATABASE_URL", url.render_as_string(hide_password=False))
            yield url


@pytest.fixture
async def database(database_url: URL) -> AsyncIterator[Database]:
    """The test database's engine and sessions, as the app builds them."""
    database = Database(settings_for(database_url))
    yield database
    await database.close()


@pytest.fixture(autouse=True)
def empty_tables(database_url: URL) -> None:
    asyncio.run(execute(database_url, *emptying_statements(database_url)))


class SwitchableDatabase:
    """The session's database, gone until ``up()``: to test what the service does without it.

    PostgreSQL: reached through a ``TcpProxy``, which ``restart()`` cycles, cutting every open
    connection. SQLite: a file in a folder that only ``up()`` creates, as a volume mounted late.
    """

    def __init__(self, url: URL, folder: Path) -> None:
        self._proxy: TcpProxy | None = None
        self._folder = folder / "volume"
        if url.get_backend_name() == "sqlite":
            self.url = url.set(database=str(self._folder / "service.sqlite3"))
        else:
            self._proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
            self.url = url.set(host="127.0.0.1", port=self._proxy.port)

    def up(self) -> None:
        if self._proxy is None:
            self._folder.mkdir()
            schema.upgrade(settings_for(self.url))
        else:
            self._proxy.start()

    def restart(self) -> None:
        """Cut every connection, as a server restart does (SQLite has no server to restart)."""
        if self._proxy is not None:
            self._proxy.stop()
            self._proxy.start()

    def close(self) -> None:
        if self._proxy is not None:
            self._proxy.stop()


@pytest.fixture
def switchable_database(database_url: URL, tmp_path: Path) -> Iterator[SwitchableDatabase]:
    database = SwitchableDatabase(database_url, tmp_path)
    yield database
    database.close()
