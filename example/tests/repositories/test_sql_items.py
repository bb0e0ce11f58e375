from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from my_service.db.database import Database
from my_service.repositories.sql_items import SqlItemRepository
from my_service.schemas.items import ItemCreate

from support.item_repository_contract import ItemRepositoryContract

pytestmark = pytest.mark.anyio


@pytest.fixture
async def session(database: Database) -> AsyncIterator[AsyncSession]:
    async with database.sessions() as session:
        yield session


class TestSqlItemRepository(ItemRepositoryContract):
    @pytest.fixture
    def repository(self, session: AsyncSession) -> SqlItemRepository:
        return SqlItemRepository(session)

    async def test_timestamps_come_from_the_database_clock(
        self, repository: SqlItemRepository
    ) -> None:
        before = datetime.now(UTC) - timedelta(seconds=5)

        item = await repository.add(ItemCreate(name="a"))

        assert item.created_at.utcoffset() == timedelta(0)
        assert before <= item.created_at <= datetime.now(UTC) + timedelta(seconds=5)

    async def test_committed_items_are_seen_by_other_sessions(
        self, repository: SqlItemRepository, session: AsyncSession, database: Database
    ) -> None:
        item = await repository.add(ItemCreate(name="a"))
        await session.commit()

        async with database.sessions() as other:
            assert await SqlItemRepository(other).get(item.id) == item

    async def test_uncommitted_items_are_rolled_back(
        self, repository: SqlItemRepository, session: AsyncSession, database: Database
    ) -> None:
        item = await repository.add(ItemCreate(name="a"))
        await session.rollback()

        async with database.sessions() as other:
            assert await SqlItemRepository(other).get(item.id) is None
