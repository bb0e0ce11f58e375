"""The request's database session: ``SessionDep`` in a handler or dependency.

One session and transaction per request, committed when the handler returns and rolled back if
it raises. It closes before the response is sent (the dependency's ``function`` scope), so a
failed commit still becomes the response instead of following a 2xx already on its way.
"""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from ..state import service_state
from .feature import DatabaseFeature


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    database = service_state(request).feature(DatabaseFeature).database
    async with database.session() as session:
        yield session
        await session.commit()


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
