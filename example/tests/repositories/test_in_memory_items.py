from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from my_service.repositories.in_memory_items import InMemoryItemRepository
from my_service.schemas.items import ItemCreate

from support.item_repository_contract import ItemRepositoryContract

pytestmark = pytest.mark.anyio

START = datetime(2025, 1, 1, tzinfo=UTC)


def ticking_clock() -> Iterator[datetime]:
    """One second later at each call, so timestamps differ without sleeping."""
    return (START + timedelta(seconds=tick) for tick in range(1_000))


class TestInMemoryItemRepository(ItemRepositoryContract):
    @pytest.fixture
    def repository(self) -> InMemoryItemRepository:
        ticks = ticking_clock()
        return InMemoryItemRepository(clock=lambda: next(ticks))

    async def test_update_bumps_updated_at(self, repository: InMemoryItemRepository) -> None:
        item = await repository.add(ItemCreate(name="a"))

        updated = await repository.update(item.id, {"description": "new"})

        assert updated is not None
        assert item.updated_at == START
        assert updated.updated_at == START + timedelta(seconds=1)
