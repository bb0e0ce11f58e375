import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import URL, Connection, inspect
from sqlalchemy.ext.asyncio import create_async_engine

from my_service import features  # noqa: F401 (the features' tables)
from my_service.db import schema
from my_service.db.base import Base

from support.plugins.database import new_database, settings_for


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[URL]:
    """A database of its own: these tests migrate it up and down."""
    with new_database(tmp_path) as url:
        yield url


async def inspect_database(url: URL) -> tuple[set[str], list[object]]:
    """The tables there, and how the schema differs from the models (empty when it matches)."""

    def read(connection: Connection) -> tuple[set[str], list[object]]:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        return set(inspect(connection).get_table_names()), differences

    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(read)
    finally:
        await engine.dispose()


def test_upgrade_creates_the_tables_the_models_describe(fresh_database: URL) -> None:
    schema.upgrade(settings_for(fresh_database))

    tables, differences = asyncio.run(inspect_database(fresh_database))

    assert "items" in tables
    assert differences == [], "the models changed without a migration"


def test_downgrade_then_upgrade_round_trips(fresh_database: URL) -> None:
    settings = settings_for(fresh_database)
    schema.upgrade(settings)

    schema.downgrade(settings, "base")
    tables_after_downgrade, _ = asyncio.run(inspect_database(fresh_database))
    schema.upgrade(settings)
    tables_after_upgrade, differences = asyncio.run(inspect_database(fresh_database))

    assert tables_after_downgrade <= {"alembic_version"}
    assert "items" in tables_after_upgrade
    assert differences == []


def test_the_shipped_heads_are_alembics(fresh_database: URL) -> None:
    from alembic.script import ScriptDirectory

    config = schema.alembic_config(settings_for(fresh_database))

    assert schema.shipped_heads() == set(ScriptDirectory.from_config(config).get_heads())


def test_heads_are_read_from_scripts_as_alembic_writes_them(tmp_path: Path) -> None:
    scripts = {
        "0001_first.py": 'revision: str = "0001"\ndown_revision: str | None = None\n',
        "a1_branch.py": "revision: str = 'a1'\ndown_revision: str | None = '0001'\n",
        "b2_branch.py": "revision: str = 'b2'\ndown_revision: str | None = '0001'\n",
        "c3_merge.py": "revision = 'c3'\ndown_revision = ('a1', 'b2')\n",
        "d4_other.py": "revision: str = 'd4'\ndown_revision: str | None = 'b2'\n",
    }
    for name, text in scripts.items():
        (tmp_path / name).write_text(f'"""Revision ID: x\nRevises: y\n"""\n{text}')

    assert schema.heads_in(tmp_path) == {"c3", "d4"}


UPGRADE_IF_BEHIND = """
import sys
from my_service.db import schema
from my_service.db.settings import DatabaseSettings
schema.upgrade_if_behind(DatabaseSettings())
print("alembic" in sys.modules)
"""


def test_serving_loads_alembic_only_when_the_schema_is_behind(fresh_database: URL) -> None:
    env = {**os.environ, "DATABASE_URL": fresh_database.render_as_string(hide_password=False)}

    def alembic_loaded() -> str:
        command = [sys.executable, "-c", UPGRADE_IF_BEHIND]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)  # noqa: S603
        return result.stdout

    assert alembic_loaded().strip() == "True"  # a new database: migrated
    assert alembic_loaded().strip() == "False"  # at the head: Alembic never imported
    tables, differences = asyncio.run(inspect_database(fresh_database))
    assert "items" in tables
    assert differences == []
