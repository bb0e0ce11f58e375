"""Schema migrations with Alembic: ``python -m {{ cookiecutter.package_name }} migrate`` upgrades.

The Alembic command line works too (``alembic revision --autogenerate -m "..."``): it reads
``[tool.alembic]`` in pyproject.toml, and ``migrations/env.py`` takes the URL from the settings.

Alembic is imported when a command runs, not with this module: a process that serves never
loads it unless its schema is behind (it takes a quarter of a second to import). Whether it is
behind is read from the ``alembic_version`` table and compared with ``HEAD``, the newest
revision shipped with this code (a test keeps the two in step).
"""

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import exc, make_url, text

from .database import Database, is_sqlite
from .settings import DatabaseSettings

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPTS = "{{ cookiecutter.package_name }}:migrations"  # inside the package, so images ship them
HEAD = "0001"  # the newest revision in migrations/versions/


def alembic_config(settings: DatabaseSettings) -> "Config":
    # Alembic logs a line per built-in plugin as it loads; its migration lines stay.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPTS)
    config.attributes["settings"] = settings  # read by env.py instead of the environment
    return config


def upgrade(settings: DatabaseSettings, revision: str = "head") -> None:
    """Bring the schema to ``revision``; a SQLite file and its folder are created if missing."""
    url = make_url(settings.url.get_secret_value())
    if is_sqlite(url) and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    config = alembic_config(settings)
    from alembic import command

    command.upgrade(config, revision)


def downgrade(settings: DatabaseSettings, revision: str) -> None:
    config = alembic_config(settings)
    from alembic import command

    command.downgrade(config, revision)


def upgrade_if_behind(settings: DatabaseSettings) -> None:
    """Upgrade to the head unless the database is there already."""
    url = make_url(settings.url.get_secret_value())
    is_new_file = is_sqlite(url) and not Path(url.database or "").is_file()
    if is_new_file or asyncio.run(stored_revision(settings)) != HEAD:
        upgrade(settings)


async def stored_revision(settings: DatabaseSettings) -> str | None:
    """The revision the database is at; None for a new database."""
    database = Database(settings)
    try:
        async with database.engine.connect() as connection:
            revision: str | None = await connection.scalar(
                text("SELECT version_num FROM alembic_version")
            )
            return revision
    except (exc.ProgrammingError, exc.OperationalError):  # no such table (yet)
        return None
    finally:
        await database.close()
