"""Where the items example keeps its items: in the database, through the request's session.

(Rendered without a database, this module keeps them in memory instead.)
"""

from ...db.session import SessionDep
from ...repositories.sql_items import SqlItemRepository
from ...services.items import ItemService

# What the store may answer besides the items' own 404 and 409: the database is unreachable.
STORE_ERRORS = (503,)


async def get_item_service(session: SessionDep) -> ItemService:
    """A service over the request's database session."""
    return ItemService(SqlItemRepository(session))
