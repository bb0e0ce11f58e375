"""``python -m my_service`` with a database: ``migrate``, and serving with a schema
migrated on start."""

import asyncio
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from sqlalchemy import URL, inspect
from sqlalchemy.ext.asyncio import create_async_engine

from support.credentials import HEADERS
from support.plugins.database import new_database
from support.servers import SERVICE_COMMAND, running_service


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[URL]:
    """An empty database; for SQLite, in a folder that does not exist yet."""
    with new_database(tmp_path / "volume") as url:
        yield url


def environment_for(url: URL) -> dict[str, str]:
    return {"DATABASE_URL": url.render_as_string(hide_password=False)}


async def table_names(url: URL) -> set[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


def test_migrate_creates_the_schema(fresh_database: URL) -> None:
    env = {**os.environ, **environment_for(fresh_database)}

    subprocess.run([*SERVICE_COMMAND, "migrate"], env=env, check=True)  # noqa: S603

    assert {"items", "alembic_version"} <= asyncio.run(table_names(fresh_database))


def test_items_outlive_a_restart(fresh_database: URL) -> None:
    environment = {**environment_for(fresh_database), "DATABASE_MIGRATE_ON_START": "true"}

    with running_service(environment) as service:
        created = httpx2.post(
            f"{service.url}/api/v1/items", json={"name": "Widget"}, headers=HEADERS
        )
        assert created.status_code == 201

    with running_service(environment) as service:
        stored = httpx2.get(f"{service.url}{created.headers['location']}")

    assert stored.status_code == 200
    assert stored.json() == created.json()
