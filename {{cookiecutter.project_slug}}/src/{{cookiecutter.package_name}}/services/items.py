"""Rules of the ``items`` resource: names are unique, and unknown ids are errors."""

from ..errors import ConflictError, NotFoundError
from ..repositories.items import Item, ItemRepository
from ..schemas.items import ItemCreate, ItemUpdate


class ItemService:
    def __init__(self, repository: ItemRepository) -> None:
        self._repository = repository

    async def list(self, limit: int, offset: int) -> tuple[list[Item], int]:
        return await self._repository.list(limit, offset)

    async def get(self, item_id: int) -> Item:
        item = await self._repository.get(item_id)
        if item is None:
            raise _not_found(item_id)
        return item

    async def create(self, data: ItemCreate) -> Item:
        await self._ensure_name_is_free(data.name)
        return await self._repository.add(data)

    async def update(self, item_id: int, changes: ItemUpdate) -> Item:
        await self.get(item_id)  # an unknown id is a 404 even when the name is taken too
        fields = changes.model_dump(exclude_unset=True)  # unsent fields keep their value
        if "name" in fields:
            await self._ensure_name_is_free(fields["name"], keeping=item_id)
        item = await self._repository.update(item_id, fields)
        if item is None:  # deleted since the check above
            raise _not_found(item_id)
        return item

    async def delete(self, item_id: int) -> None:
        if not await self._repository.delete(item_id):
            raise _not_found(item_id)

    async def _ensure_name_is_free(self, name: str, keeping: int | None = None) -> None:
        """Refuse ``name`` if another item than ``keeping`` has it.

        A store shared by several processes must also enforce this itself (a unique index):
        between this check and the write, another process may take the name.
        """
        holder = await self._repository.get_by_name(name)
        if holder is not None and holder.id != keeping:
            raise ConflictError(f"An item named {name!r} already exists.")


def _not_found(item_id: int) -> NotFoundError:
    return NotFoundError(f"Item {item_id} does not exist.")
