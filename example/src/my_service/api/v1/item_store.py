"""Where the items example keeps its items: in the database, through the request's session.

(Rendered without a database, this module keeps them in memory instead.)
"""

from fastapi import Request

from ...db.session import SessionDep
from ...repositories.sql_items import SqlItemRepository
from ...services.items import ItemService
from .item_events import item_events

# What the store may answer besides the items' own 404 and 409: the database is unreachable.
STORE_ERRORS = (503,)


async def get_item_service(request: Request, session: SessionDep) -> ItemService:
    """A service over the request's database session (its events written in it too)."""
    return ItemService(SqlItemRepository(session), item_events(request, session))
