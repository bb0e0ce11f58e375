"""Schema migrations with Alembic: ``python -m my_service migrate`` upgrades.

The Alembic command line works too (``alembic revision --autogenerate -m "..."``): it reads
``[tool.alembic]`` in pyproject.toml, and ``migrations/env.py`` takes the URL from the settings.

Alembic is imported when a command runs, not with this module: a process that serves never
loads it unless its schema is behind (it takes a quarter of a second to import). Whether it is
behind is read from the ``alembic_version`` table and compared with ``shipped_heads()``, the
newest revisions shipped with this code, read from the scripts' text (a test checks it against
Alembic's own reading). Readiness fails while the schema is missing or behind; a revision the
code does not know is newer code's (a rolling deploy migrates first), and not a reason to stop.
"""

import asyncio
import logging
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from loguru import logger
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncConnection

from ..readiness import NotReadyError
from .database import Database, is_sqlite
from .faults import BEHIND, NOT_MIGRATED, fault_of
from .settings import DatabaseSettings

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPTS = "my_service:migrations"  # inside the package, so images ship them
VERSIONS = Path(__file__).parent.parent / "migrations" / "versions"
# The lines Alembic writes in each script: ``revision: str = "0001"``, ``down_revision: ...``.
_REVISION = re.compile(r"^revision\b[^=]*=\s*(.+)$", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\b[^=]*=\s*(.+)$", re.MULTILINE)
_QUOTED = re.compile(r"""["']([^"']+)["']""")


@cache
def shipped_heads() -> frozenset[str]:
    """The revisions ``upgrade`` takes the schema to: the heads of ``migrations/versions/``."""
    return heads_in(VERSIONS)


@cache
def shipped_revisions() -> frozenset[str]:
    """Every revision shipped with this code."""
    return revisions_in(VERSIONS)[0]


def heads_in(folder: Path) -> frozenset[str]:
    """The revisions no other revision in ``folder`` builds on (one, unless the history was
    branched and not merged)."""
    revisions, parents = revisions_in(folder)
    return revisions - parents


def revisions_in(folder: Path) -> tuple[frozenset[str], frozenset[str]]:
    """The revisions of the scripts in ``folder``, and those they build on."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in folder.glob("*.py"):
        text = script.read_text(encoding="utf-8")
        for found, into in ((_REVISION, revisions), (_DOWN_REVISION, parents)):
            for value in found.findall(text):
                into.update(_QUOTED.findall(value))
    return frozenset(revisions), frozenset(parents)


def is_behind(stored: frozenset[str]) -> bool:
    """Whether a schema at ``stored`` lacks what this code needs: none at all, or revisions
    this code knows that are not its heads. Unknown revisions are newer code's."""
    return stored != shipped_heads() and stored <= shipped_revisions()


def alembic_config(settings: DatabaseSettings) -> "Config":
    # Alembic logs a line per built-in plugin as it loads; its migration lines stay.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPTS)
    config.attributes["settings"] = settings  # read by env.py instead of the environment
    return config


def upgrade(settings: DatabaseSettings, revision: str = "heads") -> None:
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
    """Upgrade to the heads unless the database is there already."""
    url = make_url(settings.url.get_secret_value())
    is_new_file = is_sqlite(url) and not Path(url.database or "").is_file()
    if is_new_file or is_behind(asyncio.run(stored_revisions(settings))):
        upgrade(settings)


async def stored_revisions(settings: DatabaseSettings) -> frozenset[str]:
    """The revisions the database is at (one per branch of the history); none for a new one."""
    database = Database(settings)
    try:
        async with database.engine.connect() as connection:
            return await revisions_of(connection, database)
    finally:
        await database.close()


async def revisions_of(connection: AsyncConnection, database: Database) -> frozenset[str]:
    """The revisions stored in the database; none where Alembic's table is not there yet."""
    try:
        rows = await connection.scalars(text("SELECT version_num FROM alembic_version"))
        return frozenset(rows)
    except Exception as error:
        if fault_of(error, database.url) is NOT_MIGRATED:
            return frozenset()
        raise


async def check(database: Database) -> None:
    """The readiness check: one round trip that finds the database there, at the code's schema."""
    try:
        async with database.engine.connect() as connection:
            stored = await revisions_of(connection, database)
    except Exception as error:
        fault = fault_of(error, database.url)
        if fault is None:
            raise
        raise NotReadyError(fault.reason, fault.remedy) from error
    if is_behind(stored):
        fault = BEHIND if stored else NOT_MIGRATED
        raise NotReadyError(fault.reason, fault.remedy)


def warn_if_not_ready(settings: DatabaseSettings) -> None:
    """Before serving: say in one line what to run if the database is away, missing or behind
    (the service starts anyway, not ready until it is fixed)."""

    async def checked() -> None:
        database = Database(settings)
        try:
            await check(database)
        except NotReadyError as error:
            logger.warning("The database is not ready ({}): {}", error.reason, error.remedy)
        finally:
            await database.close()

    asyncio.run(checked())
