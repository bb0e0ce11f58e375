"""Schema migrations with Alembic: ``python -m {{ cookiecutter.package_name }} migrate`` upgrades.

The Alembic command line works too (``alembic revision --autogenerate -m "..."``): it reads
``[tool.alembic]`` in pyproject.toml, and ``migrations/env.py`` takes the URL from the settings.

Alembic is imported when a command runs, not with this module: a process that serves without
migrating never loads it (it takes a quarter of a second to import).
"""

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import make_url

from ..config import Settings
from .database import is_sqlite

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPTS = "{{ cookiecutter.package_name }}:migrations"  # inside the package, so images ship them


def alembic_config(settings: Settings) -> "Config":
    # Alembic logs a line per built-in plugin as it loads; its migration lines stay.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPTS)
    config.attributes["settings"] = settings  # read by env.py instead of the environment
    return config


def upgrade(settings: Settings, revision: str = "head") -> None:
    """Bring the schema to ``revision``; a SQLite file and its folder are created if missing."""
    url = make_url(settings.database_url.get_secret_value())
    if is_sqlite(url) and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    config = alembic_config(settings)
    from alembic import command

    command.upgrade(config, revision)


def downgrade(settings: Settings, revision: str) -> None:
    config = alembic_config(settings)
    from alembic import command

    command.downgrade(config, revision)
