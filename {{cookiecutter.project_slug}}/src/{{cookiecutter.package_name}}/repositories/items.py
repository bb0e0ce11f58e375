"""What the item service needs from a store: the ``ItemRepository`` Protocol and its records.

Implementations: ``in_memory_items.py`` (no database) and ``sql_items.py`` (SQLAlchemy).
"""

from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from ..schemas.items import ItemCreate


class Item(BaseModel):
    """A stored item, frozen so that callers cannot change it behind the repository."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    name: str
    description: str | None
    created_at: datetime
    updated_at: datetime


class NameTakenError(Exception):
    """Another item has this name. The store enforces it, so that it holds across processes."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class VersionChangedError(Exception):
    """The item is no longer the version a change was made to (or is gone). The store decides
    it in the write itself, so that of two changes of one version, only one is made."""


class ItemRepository(Protocol):
    async def list(self, limit: int, offset: int) -> tuple[list[Item], int]:
        """A page of items ordered by id, and how many items there are in all."""
        ...

    async def get(self, item_id: int) -> Item | None: ...

    async def add(self, data: ItemCreate) -> Item:
        """Store a new item; ``NameTakenError`` if its name is taken."""
        ...

    async def update(
        self, item_id: int, changes: dict[str, object], expected: Item | None = None
    ) -> Item | None:
        """Apply ``changes`` (field name to new value), bumping ``updated_at`` if anything
        changed; ``None`` if there is no such item, ``NameTakenError`` if the new name is taken.
        With ``expected``, only to that version of the item: ``VersionChangedError`` if it is
        no longer the stored one (or there is none)."""
        ...

    async def delete(self, item_id: int, expected: Item | None = None) -> bool:
        """Whether there was an item to delete. With ``expected``, only that version of it:
        ``VersionChangedError`` if it is no longer the stored one (or there is none)."""
        ...
