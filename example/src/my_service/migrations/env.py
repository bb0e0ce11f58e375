"""Alembic's entry point: runs migrations on the service's own engine (async), or prints them as
SQL with ``--sql``. The URL comes from the settings (``DATABASE_URL``), never from a file."""

import asyncio
from typing import Any

from alembic import context
from sqlalchemy.engine import Connection

# Importing these puts every table in Base.metadata: the core's, and the enabled features'.
from my_service import features, models  # noqa: F401
from my_service.config import load
from my_service.db.base import Base
from my_service.db.database import Database
from my_service.db.settings import DatabaseSettings

settings: DatabaseSettings = context.config.attributes.get("settings") or load(DatabaseSettings)


def configure(**options: Any) -> None:
    context.configure(
        target_metadata=Base.metadata,
        # SQLite cannot alter most of a table: Alembic rebuilds it instead ("batch" mode).
        render_as_batch=True,
        compare_type=True,
        **options,
    )


def run_offline() -> None:
    configure(url=settings.url.get_secret_value(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def migrate(connection: Connection) -> None:
    configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


async def run_online() -> None:
    database = Database(settings)
    try:
        async with database.engine.connect() as connection:
            await connection.run_sync(migrate)
    finally:
        await database.close()


if context.is_offline_mode():
    run_offline()
else:
    asyncio.run(run_online())
