"""The request's database session: ``SessionDep`` in a handler or dependency.

One session and transaction per request, committed when the handler returns and rolled back if
it raises. It closes before the response is sent (the dependency's ``function`` scope), so a
failed commit still becomes the response instead of following a 2xx already on its way.
"""

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import exc
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import UnavailableError
from ..state import service_state
from .feature import DatabaseFeature

# What an unreachable or lost database raises: the driver's own connection errors (refused,
# reset, timed out) and SQLAlchemy's for a failed connection, a full pool or a locked SQLite file.
CONNECTION_ERRORS = (
    OSError,
    TimeoutError,
    exc.OperationalError,
    exc.InterfaceError,
    exc.TimeoutError,
)


@contextmanager
def unavailable_when_unreachable() -> Iterator[None]:
    """Turn a database that cannot be reached into ``UnavailableError`` (a 503)."""
    try:
        yield
    except CONNECTION_ERRORS as error:
        raise UnavailableError("The database cannot be reached.") from error
    except exc.DBAPIError as error:
        if error.connection_invalidated:  # the connection broke mid-request
            raise UnavailableError("The database cannot be reached.") from error
        raise


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    database = service_state(request).feature(DatabaseFeature).database
    # Leaving the block closes the session, which rolls back whatever was not committed.
    async with database.sessions() as session:
        with unavailable_when_unreachable():
            yield session
            await session.commit()


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
