"""The database as a feature of the service: its settings, its engine for the app's life, its
readiness check, and the ``migrate`` command."""

import argparse
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from functools import partial

from sqlalchemy import make_url

from ..config import load
from ..feature import Command, Feature
from ..state import ServiceState
from . import pool_metrics, schema
from .database import Database
from .faults import fault_of
from .settings import DatabaseSettings


class DatabaseFeature(Feature):
    name = "database"

    def __init__(self, settings: DatabaseSettings | None = None) -> None:
        self.settings: DatabaseSettings = settings or load(DatabaseSettings)
        self._database: Database | None = None

    @property
    def database(self) -> Database:
        """The engine of the running app (built in the lifespan, after the fork)."""
        if self._database is None:
            raise RuntimeError("the database is used outside the app's lifespan")
        return self._database

    def lifespan(self, state: ServiceState) -> AbstractAsyncContextManager[None]:
        return self._connected(state)

    @asynccontextmanager
    async def _connected(self, state: ServiceState) -> AsyncIterator[None]:
        self._database = database = Database(self.settings)
        # Per worker process (summed over the live ones): not in Database, which commands and
        # the checks before serving also build, in processes that do not serve.
        pool_metrics.LIMIT.set(self.settings.pool_size + self.settings.max_overflow)
        state.readiness.add_check(self.name, partial(schema.check, database))
        try:
            yield
        finally:
            self._database = None
            await database.close()

    def commands(self) -> Sequence[Command]:
        return [
            Command(
                "migrate",
                "upgrade the database schema, then exit",
                run=self._migrate,
                add_arguments=_revision_argument,
            )
        ]

    def _migrate(self, arguments: argparse.Namespace) -> None:
        try:
            schema.upgrade(self.settings, arguments.revision)
        except Exception as error:
            url = make_url(self.settings.url.get_secret_value())
            if (fault := fault_of(error, url)) is None:
                raise
            # One line that says what to do, not a driver's traceback.
            message = f"Cannot migrate the database ({fault.reason}): {fault.remedy}"
            raise SystemExit(message) from None

    def before_serving(self) -> None:
        if self.settings.migrate_on_start:
            # Once, before gunicorn forks its workers; Alembic is loaded only if it has work.
            schema.upgrade_if_behind(self.settings)
        else:
            schema.warn_if_not_ready(self.settings)


def _revision_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("revision", nargs="?", default="heads", help="default: the latest")
