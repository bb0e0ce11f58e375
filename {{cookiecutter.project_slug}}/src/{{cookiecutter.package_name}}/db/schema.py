"""Schema migrations with Alembic: ``python -m {{ cookiecutter.package_name }} migrate`` upgrades.

The Alembic command line works too (``alembic revision --autogenerate -m "..."``): it reads
``[tool.alembic]`` in pyproject.toml, and ``migrations/env.py`` takes the URL from the settings.
"""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import make_url

from ..config import Settings
from .database import is_sqlite

SCRIPTS = "{{ cookiecutter.package_name }}:migrations"  # inside the package, so images ship them


def alembic_config(settings: Settings) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPTS)
    config.attributes["settings"] = settings  # read by env.py instead of the environment
    return config


def upgrade(settings: Settings, revision: str = "head") -> None:
    """Bring the schema to ``revision``; a SQLite file and its folder are created if missing."""
    url = make_url(settings.database_url.get_secret_value())
    if is_sqlite(url) and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(settings), revision)


def downgrade(settings: Settings, revision: str) -> None:
    command.downgrade(alembic_config(settings), revision)
