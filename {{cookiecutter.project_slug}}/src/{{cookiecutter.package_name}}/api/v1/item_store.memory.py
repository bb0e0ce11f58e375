"""Where the items example keeps its items: in memory, one store per app (so each test app has
its own), private to each worker process and lost on restart.

(Rendered with a database, this module keeps them there instead.)
"""

from weakref import WeakKeyDictionary

from fastapi import FastAPI, Request

from ...repositories.in_memory_items import InMemoryItemRepository
from ...services.items import ItemService
from .item_events import item_events

# What the store may answer besides the items' own 404 and 409: nothing, memory is always there.
STORE_ERRORS: tuple[int, ...] = ()

_stores: WeakKeyDictionary[FastAPI, InMemoryItemRepository] = WeakKeyDictionary()


async def get_item_service(request: Request) -> ItemService:
    """A service over the running app's store."""
    store = _stores.get(request.app)
    if store is None:
        store = _stores[request.app] = InMemoryItemRepository()
    return ItemService(store, item_events(request))
