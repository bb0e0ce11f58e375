"""What a database error means for the service, and what to do about it.

A database that cannot be reached, that does not exist, or whose tables are missing or behind
the code is a fault of the deployment, not of the request: requests that meet one answer 503
problem+json (never a 500), readiness names the reason, and the log says in one line what to
run. Any other error (a query the code got wrong, say) stays an error of the code.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import URL, exc

from ..errors import UnavailableError

PACKAGE = __name__.split(".")[0]
MIGRATE = f"python -m {PACKAGE} migrate (make migrate)"

# The drivers' own connection errors (refused, reset, timed out) and SQLAlchemy's for a failed
# connection, a full pool or a locked SQLite file.
CONNECTION_ERRORS = (
    OSError,
    TimeoutError,
    exc.OperationalError,
    exc.InterfaceError,
    exc.TimeoutError,
)
# SQLSTATE codes, as PostgreSQL's drivers report them: the database named in the URL does not
# exist; a table, column or schema the code uses does not.
MISSING_DATABASE = frozenset({"3D000"})
MISSING_SCHEMA = frozenset({"42P01", "42703", "3F000"})
# Classes of codes that mean the server cannot serve this client now: connection exceptions,
# refused credentials, exhausted resources, the server shutting down or starting.
UNREACHABLE_CLASSES = ("08", "28", "53", "57")
# SQLite's messages for a table or column that is not there.
SQLITE_MISSING_SCHEMA = ("no such table", "no such column")


@dataclass(frozen=True)
class Fault:
    """``reason``: short, for readiness; ``detail``: for the client; ``remedy``: for the log."""

    reason: str
    detail: str
    remedy: str


class DatabaseUnavailableError(UnavailableError):
    """A request met a database fault: a 503 whose detail names it."""

    def __init__(self, fault: Fault) -> None:
        super().__init__(fault.detail)
        self.fault = fault


def unreachable(url: URL) -> Fault:
    where = f"{url.host or 'localhost'}:{url.port or 5432}" if url.host else url.database
    return Fault(
        "unreachable",
        "The database cannot be reached.",
        f"check DATABASE_URL and that the database at {where} is running and accepts the user",
    )


def missing(url: URL) -> Fault:
    createdb = f"createdb --host {url.host or 'localhost'} --port {url.port or 5432}"
    createdb += f" --username {url.username} {url.database}" if url.username else f" {url.database}"
    return Fault(
        "does not exist",
        "The database is not ready: it does not exist.",
        f"create it ({createdb}), then migrate it: {MIGRATE}",
    )


NOT_MIGRATED = Fault(
    "not migrated",
    "The database is not ready: its schema is not migrated.",
    f"migrate it: {MIGRATE}",
)
BEHIND = Fault(
    "schema behind the code",
    "The database is not ready: its schema is behind the code.",
    f"migrate it: {MIGRATE}",
)


def sqlstate(error: exc.DBAPIError) -> str | None:
    """The SQLSTATE code of the driver's error, where the driver gives one."""
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return code if isinstance(code, str) else None


def fault_of(error: BaseException, url: URL) -> Fault | None:
    """The fault ``error`` shows, or None for an error of the code."""
    if isinstance(error, exc.DBAPIError):
        code = sqlstate(error)
        if code in MISSING_DATABASE:
            return missing(url)
        if code in MISSING_SCHEMA or str(error.orig).startswith(SQLITE_MISSING_SCHEMA):
            return NOT_MIGRATED
        if error.connection_invalidated or (code or "").startswith(UNREACHABLE_CLASSES):
            return unreachable(url)
    if isinstance(error, CONNECTION_ERRORS):
        return unreachable(url)
    return None


@contextmanager
def unavailable_on_fault(url: URL) -> Iterator[None]:
    """Turn a database fault met inside the block into ``DatabaseUnavailableError`` (a 503)."""
    try:
        yield
    except Exception as error:
        fault = fault_of(error, url)
        if fault is None:
            raise
        raise DatabaseUnavailableError(fault) from error
