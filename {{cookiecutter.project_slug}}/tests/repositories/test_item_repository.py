import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from {{ cookiecutter.package_name }}.repositories.items import InMemoryItemRepository
from {{ cookiecutter.package_name }}.schemas.items import ItemCreate

START = datetime(2025, 1, 1, tzinfo=UTC)


def ticking_clock() -> Iterator[datetime]:
    """One second later at each call, so timestamps differ without sleeping."""
    return (START + timedelta(seconds=tick) for tick in range(1_000))


def repository_with(*names: str) -> InMemoryItemRepository:
    ticks = ticking_clock()
    repository = InMemoryItemRepository(clock=lambda: next(ticks))
    for name in names:
        asyncio.run(repository.add(ItemCreate(name=name)))
    return repository


def test_add_numbers_items_from_one() -> None:
    repository = repository_with()

    first = asyncio.run(repository.add(ItemCreate(name="a")))
    second = asyncio.run(repository.add(ItemCreate(name="b")))

    assert (first.id, second.id) == (1, 2)


def test_add_sets_both_timestamps() -> None:
    repository = repository_with()

    item = asyncio.run(repository.add(ItemCreate(name="a")))

    assert item.created_at == item.updated_at == START


def test_list_pages_in_id_order_and_counts_all() -> None:
    repository = repository_with("a", "b", "c", "d")

    page, total = asyncio.run(repository.list(limit=2, offset=1))

    assert [item.name for item in page] == ["b", "c"]
    assert total == 4


def test_list_past_the_end_is_empty() -> None:
    repository = repository_with("a")

    page, total = asyncio.run(repository.list(limit=10, offset=5))

    assert page == []
    assert total == 1


def test_get_missing_item_is_none() -> None:
    repository = repository_with()

    assert asyncio.run(repository.get(1)) is None


def test_get_by_name_finds_the_item() -> None:
    repository = repository_with("a", "b")

    item = asyncio.run(repository.get_by_name("b"))

    assert item is not None
    assert item.id == 2


def test_update_applies_the_changes_and_bumps_updated_at() -> None:
    repository = repository_with("a")

    item = asyncio.run(repository.update(1, {"description": "new"}))

    assert item is not None
    assert item.name == "a"
    assert item.description == "new"
    assert item.created_at == START
    assert item.updated_at == START + timedelta(seconds=1)
    assert asyncio.run(repository.get(1)) == item


def test_update_missing_item_is_none() -> None:
    repository = repository_with()

    assert asyncio.run(repository.update(1, {"name": "a"})) is None


def test_delete_removes_the_item() -> None:
    repository = repository_with("a")

    deleted = asyncio.run(repository.delete(1))

    assert deleted
    assert asyncio.run(repository.get(1)) is None


def test_delete_missing_item_is_false() -> None:
    repository = repository_with()

    assert not asyncio.run(repository.delete(1))
