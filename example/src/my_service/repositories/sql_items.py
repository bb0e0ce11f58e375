"""Items in the database, through the request's session (``get_session`` commits it)."""

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.items import ItemRecord
from ..schemas.items import ItemCreate
from .items import Item, NameTakenError


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

    async def update(self, item_id: int, changes: dict[str, object]) -> Item | None:
        record = await self._session.get(ItemRecord, item_id)
        if record is None:
            return None
        for field, value in changes.items():
            setattr(record, field, value)  # an unchanged value writes nothing
        await self._flush(str(changes.get("name", record.name)))
        return Item.model_validate(record)

    async def delete(self, item_id: int) -> bool:
        deleted = await self._session.scalar(
            delete(ItemRecord).where(ItemRecord.id == item_id).returning(ItemRecord.id)
        )
        return deleted is not None

    async def _flush(self, name: str) -> None:
        """Write now, so the database's unique index decides on the name and its clock sets
        the timestamps, which are read back in the same statement."""
        try:
            await self._session.flush()
        except IntegrityError as error:
            # The name's is the table's only constraint that a valid request can break.
            raise NameTakenError(name) from error
