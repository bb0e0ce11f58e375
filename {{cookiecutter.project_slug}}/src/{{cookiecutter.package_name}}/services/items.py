"""Rules of the ``items`` resource: names are unique, and unknown ids are errors; each change
is told as an event (``item.created``, ``item.updated``, ``item.deleted``)."""

from ..errors import ConflictError, NotFoundError, PreconditionFailedError
from ..repositories.items import Item, ItemRepository, NameTakenError, VersionChangedError
from ..schemas.items import ItemCreate, ItemUpdate
from .events import NO_EVENTS, Events


class ItemService:
    def __init__(self, repository: ItemRepository, events: Events = NO_EVENTS) -> None:
        self._repository = repository
        self._events = events

    async def list(self, limit: int, offset: int) -> tuple[list[Item], int]:
        return await self._repository.list(limit, offset)

    async def get(self, item_id: int) -> Item:
        item = await self._repository.get(item_id)
        if item is None:
            raise _not_found(item_id)
        return item

    async def create(self, data: ItemCreate) -> Item:
        try:
            item = await self._repository.add(data)
        except NameTakenError as error:
            raise _name_taken(error) from None
        await self._events.record("item.created", str(item.id), item.model_dump(mode="json"))
        return item

    async def update(self, item_id: int, changes: ItemUpdate, expected: Item | None = None) -> Item:
        """Change the item; with ``expected``, only that version of it (412 otherwise)."""
        fields = changes.model_dump(exclude_unset=True)  # unsent fields keep their value
        try:
            item = await self._repository.update(item_id, fields, expected)
        except NameTakenError as error:
            raise _name_taken(error) from None
        except VersionChangedError:
            raise _changed() from None
        if item is None:
            raise _not_found(item_id)
        await self._events.record("item.updated", str(item.id), item.model_dump(mode="json"))
        return item

    async def delete(self, item_id: int, expected: Item | None = None) -> None:
        """Delete the item; with ``expected``, only that version of it (412 otherwise)."""
        try:
            deleted = await self._repository.delete(item_id, expected)
        except VersionChangedError:
            raise _changed() from None
        if not deleted:
            raise _not_found(item_id)
        await self._events.record("item.deleted", str(item_id), {"id": item_id})


def _not_found(item_id: int) -> NotFoundError:
    return NotFoundError(f"Item {item_id} does not exist.")


def _changed() -> PreconditionFailedError:
    return PreconditionFailedError("The item changed since the version in If-Match.")


def _name_taken(error: NameTakenError) -> ConflictError:
    return ConflictError(f"An item named {error.name!r} already exists.")
