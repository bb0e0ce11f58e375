"""Items in a dict, lost on restart and private to each worker process: for the example and
for tests. Every operation completes without awaiting, so none interleaves with another."""

from collections.abc import Callable
from datetime import UTC, datetime
from itertools import count, islice

from ..schemas.items import ItemCreate
from .items import Item, NameTakenError, VersionChangedError


def _utc_now() -> datetime:
    return datetime.now(UTC)


class InMemoryItemRepository:
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

    async def add(self, data: ItemCreate) -> Item:
        self._ensure_name_is_free(data.name)
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

    async def update(
        self, item_id: int, changes: dict[str, object], expected: Item | None = None
    ) -> Item | None:
        item = self._current(item_id, expected)
        if item is None:
            return None
        if all(getattr(item, field) == value for field, value in changes.items()):
            return item
        if "name" in changes:
            self._ensure_name_is_free(str(changes["name"]), keeping=item_id)
        updated = item.model_copy(update={**changes, "updated_at": self._clock()})
        self._items[item_id] = updated
        return updated

    async def delete(self, item_id: int, expected: Item | None = None) -> bool:
        self._current(item_id, expected)
        return self._items.pop(item_id, None) is not None

    def _current(self, item_id: int, expected: Item | None) -> Item | None:
        item = self._items.get(item_id)
        if expected is not None and item != expected:
            raise VersionChangedError
        return item

    def _ensure_name_is_free(self, name: str, keeping: int | None = None) -> None:
        if any(item.name == name and item.id != keeping for item in self._items.values()):
            raise NameTakenError(name)
