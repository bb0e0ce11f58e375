"""Storage of items: the ``ItemRepository`` Protocol and its in-memory implementation."""

from collections.abc import Callable
from datetime import UTC, datetime
from itertools import count, islice
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from ..schemas.items import ItemCreate


class Item(BaseModel):
    """A stored item, frozen so that callers cannot change it behind the repository."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    description: str | None
    created_at: datetime
    updated_at: datetime


class ItemRepository(Protocol):
    """What the item service needs from a store, whatever the store is."""

    async def list(self, limit: int, offset: int) -> tuple[list[Item], int]:
        """A page of items ordered by id, and how many items there are in all."""
        ...

    async def get(self, item_id: int) -> Item | None: ...

    async def get_by_name(self, name: str) -> Item | None: ...

    async def add(self, data: ItemCreate) -> Item: ...

    async def update(self, item_id: int, changes: dict[str, object]) -> Item | None:
        """Apply ``changes`` (field name to new value) and bump ``updated_at``."""
        ...

    async def delete(self, item_id: int) -> bool:
        """Whether there was an item to delete."""
        ...


def _utc_now() -> datetime:
    return datetime.now(UTC)


class InMemoryItemRepository:
    """Items in a dict, lost on restart: for the example and for tests."""

    def __init__(self, clock: Callable[[], datetime] = _utc_now) -> None:
        self._clock = clock  # replaceable so tests can tell timestamps apart without sleeping
        self._ids = count(1)
        # Ids only grow, so insertion order is id order.
        self._items: dict[int, Item] = {}

    async def list(self, limit: int, offset: int) -> tuple[list[Item], int]:
        page = list(islice(self._items.values(), offset, offset + limit))
        return page, len(self._items)

    async def get(self, item_id: int) -> Item | None:
        return self._items.get(item_id)

    async def get_by_name(self, name: str) -> Item | None:
        return next((item for item in self._items.values() if item.name == name), None)

    async def add(self, data: ItemCreate) -> Item:
        now = self._clock()
        item = Item(
            id=next(self._ids),
            name=data.name,
            description=data.description,
            created_at=now,
            updated_at=now,
        )
        self._items[item.id] = item
        return item

    async def update(self, item_id: int, changes: dict[str, object]) -> Item | None:
        item = self._items.get(item_id)
        if item is None:
            return None
        updated = item.model_copy(update={**changes, "updated_at": self._clock()})
        self._items[item_id] = updated
        return updated

    async def delete(self, item_id: int) -> bool:
        return self._items.pop(item_id, None) is not None
