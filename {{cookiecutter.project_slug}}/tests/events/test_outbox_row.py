"""The outbox row: the same whichever path writes it, kept or rolled back with its transaction,
and its failures raised as SQLAlchemy raises them."""

import uuid

import pytest
from sqlalchemy import exc, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from {{ cookiecutter.package_name }}.db.database import Database
from {{ cookiecutter.package_name }}.events.envelope import new_event
from {{ cookiecutter.package_name }}.events.outbox import OUTBOX
from {{ cookiecutter.package_name }}.events.outbox_row import write_row
from {{ cookiecutter.package_name }}.repositories.sql_items import SqlItemRepository
from {{ cookiecutter.package_name }}.schemas.items import ItemCreate

pytestmark = pytest.mark.anyio


async def record(session: AsyncSession, type: str, after_a_change: bool) -> uuid.UUID:  # noqa: A002
    """Write an event's row, after a change in the same transaction (as requests do) or first."""
    if after_a_change:
        await SqlItemRepository(session).add(ItemCreate(name=f"item {uuid.uuid4()}"))
    event = new_event(type, "7", {"n": 1}, "test")
    await write_row(session, event.id, event.message())
    return event.id


async def rows(database: Database) -> list[dict[str, object]]:
    async with database.engine.connect() as connection:
        result = await connection.execute(select(OUTBOX).order_by(OUTBOX.c.seq))
        return [dict(row._mapping) for row in result]


async def test_the_row_is_the_same_written_after_a_change_or_first(database: Database) -> None:
    async with database.sessions() as session, session.begin():
        after = await record(session, "test.after", after_a_change=True)
    async with database.sessions() as session, session.begin():
        first = await record(session, "test.first", after_a_change=False)

    written = await rows(database)

    assert [(row["id"], row["type"]) for row in written] == [
        (after, "test.after"),
        (first, "test.first"),
    ]
    for row in written:
        assert row["subject"] == "7"
        assert row["attempts"] == 0
        assert row["created_at"] is not None
        assert row["claimed_until"] is None
        assert row["sent_at"] is None


@pytest.mark.parametrize("after_a_change", [True, False])
async def test_the_row_is_rolled_back_with_its_transaction(
    database: Database, after_a_change: bool
) -> None:
    async with database.sessions() as session:
        await record(session, "test.rolled-back", after_a_change)
        await session.rollback()

    assert await rows(database) == []


async def test_a_failed_write_is_raised_as_sqlalchemys_error(database: Database) -> None:
    async with database.sessions() as session:
        await SqlItemRepository(session).add(ItemCreate(name="item"))
        # The table gone, in this transaction only: the INSERT fails on the database's side.
        await session.execute(text("ALTER TABLE event_outbox RENAME TO event_outbox_gone"))
        event = new_event("test.failed", "7", {}, "test")

        with pytest.raises(exc.DBAPIError, match="event_outbox"):
            await write_row(session, event.id, event.message())
        await session.rollback()

    assert await rows(database) == []
