"""Items in the database, through the request's session (``get_session`` commits it)."""

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.items import ItemRecord
from ..schemas.items import ItemCreate
from .items import Item, NameTakenError, VersionChangedError


def is_version(expected: Item) -> list[ColumnElement[bool]]:
    """The row is still the version ``expected`` was read as: every field its representation
    (and so its tag) is made of that can change."""
    return [
        ItemRecord.id == expected.id,
        ItemRecord.name == expected.name,
        ItemRecord.description.is_not_distinct_from(expected.description),
        ItemRecord.updated_at == expected.updated_at,
    ]


class SqlItemRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def list(self, limit: int, offset: int) -> tuple[list[Item], int]:
        total = await self._session.scalar(select(func.count()).select_from(ItemRecord))
        records = await self._session.scalars(
            select(ItemRecord).order_by(ItemRecord.id).limit(limit).offset(offset)
        )
        return [Item.model_validate(record) for record in records], total or 0

    async def get(self, item_id: int) -> Item | None:
        record = await self._session.get(ItemRecord, item_id)
        return None if record is None else Item.model_validate(record)

    async def add(self, data: ItemCreate) -> Item:
        record = ItemRecord(name=data.name, description=data.description)
        self._session.add(record)
        await self._flush(data.name)
        return Item.model_validate(record)

    async def update(
        self, item_id: int, changes: dict[str, object], expected: Item | None = None
    ) -> Item | None:
        if expected is not None:
            return await self._update_version(expected, changes)
        record = await self._session.get(ItemRecord, item_id)
        if record is None:
            return None
        for field, value in changes.items():
            setattr(record, field, value)  # an unchanged value writes nothing
        await self._flush(str(changes.get("name", record.name)))
        return Item.model_validate(record)

    async def delete(self, item_id: int, expected: Item | None = None) -> bool:
        matching = [ItemRecord.id == item_id, *(is_version(expected) if expected else [])]
        deleted = await self._session.scalar(
            delete(ItemRecord).where(*matching).returning(ItemRecord.id)
        )
        if deleted is None and expected is not None:
            raise VersionChangedError
        return deleted is not None

    async def _update_version(self, expected: Item, changes: dict[str, object]) -> Item:
        """One conditional write: the row changes only if it is still ``expected``. Another
        transaction changing it first holds the row until it ends; then the condition is
        checked again on what it wrote, and fails."""
        if all(getattr(expected, field) == value for field, value in changes.items()):
            # Nothing to write (``updated_at`` stays): the version must still be current.
            found = await self._session.scalar(select(ItemRecord.id).where(*is_version(expected)))
            if found is None:
                raise VersionChangedError
            return expected
        statement = (
            update(ItemRecord)
            .where(*is_version(expected))
            .values(changes)
            .returning(ItemRecord)
            .execution_options(synchronize_session=False, populate_existing=True)
        )
        try:
            record = await self._session.scalar(statement)
        except IntegrityError as error:
            raise NameTakenError(str(changes.get("name", expected.name))) from error
        if record is None:
            raise VersionChangedError
        return Item.model_validate(record)

    async def _flush(self, name: str) -> None:
        """Write now, so the database's unique index decides on the name and its clock sets
        the timestamps, which are read back in the same statement."""
        try:
            await self._session.flush()
        except IntegrityError as error:
            # The name's is the table's only constraint that a valid request can break.
            raise NameTakenError(name) from error
