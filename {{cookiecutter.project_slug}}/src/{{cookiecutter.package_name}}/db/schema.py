"""Schema migrations with Alembic: ``python -m {{ cookiecutter.package_name }} migrate`` upgrades.

The Alembic command line works too (``alembic revision --autogenerate -m "..."``): it reads
``[tool.alembic]`` in pyproject.toml, and ``migrations/env.py`` takes the URL from the settings.

Alembic is imported when a command runs, not with this module: a process that serves never
loads it unless its schema is behind (it takes a quarter of a second to import). Whether it is
behind is read from the ``alembic_version`` table and compared with ``shipped_heads()``, the
newest revisions shipped with this code, read from the scripts' text (a test checks it against
Alembic's own reading).
"""

import asyncio
import logging
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import exc, make_url, text

from .database import Database, is_sqlite
from .settings import DatabaseSettings

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPTS = "{{ cookiecutter.package_name }}:migrations"  # inside the package, so images ship them
VERSIONS = Path(__file__).parent.parent / "migrations" / "versions"
# The lines Alembic writes in each script: ``revision: str = "0001"``, ``down_revision: ...``.
_REVISION = re.compile(r"^revision\b[^=]*=\s*(.+)$", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\b[^=]*=\s*(.+)$", re.MULTILINE)
_QUOTED = re.compile(r"""["']([^"']+)["']""")


@cache
def shipped_heads() -> frozenset[str]:
    """The revisions ``upgrade`` takes the schema to: the heads of ``migrations/versions/``."""
    return heads_in(VERSIONS)


def heads_in(folder: Path) -> frozenset[str]:
    """The revisions no other revision in ``folder`` builds on (one, unless the history was
    branched and not merged)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in folder.glob("*.py"):
        text = script.read_text(encoding="utf-8")
        for found, into in ((_REVISION, revisions), (_DOWN_REVISION, parents)):
            for value in found.findall(text):
                into.update(_QUOTED.findall(value))
    return frozenset(revisions - parents)


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
    if is_new_file or asyncio.run(stored_revisions(settings)) != shipped_heads():
        upgrade(settings)


async def stored_revisions(settings: DatabaseSettings) -> frozenset[str]:
    """The revisions the database is at (one per branch of the history); none for a new one."""
    database = Database(settings)
    try:
        async with database.engine.connect() as connection:
            rows = await connection.scalars(text("SELECT version_num FROM alembic_version"))
            return frozenset(rows)
    except (exc.ProgrammingError, exc.OperationalError):  # no such table (yet)
        return frozenset()
    finally:
        await database.close()
