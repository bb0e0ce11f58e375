"""What every ``ItemRepository`` must do, as tests: a ``Test...`` class per implementation
inherits ``ItemRepositoryContract`` and provides the ``repository`` fixture."""

from datetime import datetime

import pytest

from {{ cookiecutter.package_name }}.repositories.items import (
    Item,
    ItemRepository,
    NameTakenError,
    VersionChangedError,
)
from {{ cookiecutter.package_name }}.schemas.items import ItemCreate


async def add(repository: ItemRepository, *names: str) -> list[Item]:
    return [await repository.add(ItemCreate(name=name)) for name in names]


def is_aware(moment: datetime) -> bool:
    return moment.utcoffset() is not None


class ItemRepositoryContract:
    async def test_add_numbers_items_from_one(self, repository: ItemRepository) -> None:
        first, second = await add(repository, "a", "b")

        assert (first.id, second.id) == (1, 2)

    async def test_add_keeps_the_fields_and_sets_both_timestamps(
        self, repository: ItemRepository
    ) -> None:
        item = await repository.add(ItemCreate(name="a", description="An item."))

        assert (item.name, item.description) == ("a", "An item.")
        assert is_aware(item.created_at)
        assert item.created_at == item.updated_at

    async def test_add_refuses_a_taken_name(self, repository: ItemRepository) -> None:
        await add(repository, "a")

        with pytest.raises(NameTakenError) as refused:
            await repository.add(ItemCreate(name="a"))

        assert refused.value.name == "a"

    async def test_get_answers_what_add_stored(self, repository: ItemRepository) -> None:
        [item] = await add(repository, "a")

        assert await repository.get(item.id) == item

    async def test_get_missing_item_is_none(self, repository: ItemRepository) -> None:
        assert await repository.get(1) is None

    async def test_list_pages_in_id_order_and_counts_all(self, repository: ItemRepository) -> None:
        await add(repository, "d", "c", "b", "a")

        page, total = await repository.list(limit=2, offset=1)

        assert [item.name for item in page] == ["c", "b"]
        assert total == 4

    async def test_list_past_the_end_is_empty(self, repository: ItemRepository) -> None:
        await add(repository, "a")

        assert await repository.list(limit=10, offset=5) == ([], 1)

    async def test_update_applies_the_changes(self, repository: ItemRepository) -> None:
        [item] = await add(repository, "a")

        updated = await repository.update(item.id, {"description": "new"})

        assert updated is not None
        assert (updated.name, updated.description) == ("a", "new")
        assert updated.created_at == item.created_at
        assert updated.updated_at >= item.updated_at
        assert is_aware(updated.updated_at)
        assert await repository.get(item.id) == updated

    async def test_update_without_a_change_keeps_updated_at(
        self, repository: ItemRepository
    ) -> None:
        [item] = await add(repository, "a")

        assert await repository.update(item.id, {"name": "a"}) == item

    async def test_update_refuses_a_name_taken_by_another_item(
        self, repository: ItemRepository
    ) -> None:
        _, b = await add(repository, "a", "b")

        with pytest.raises(NameTakenError):
            await repository.update(b.id, {"name": "a"})

    async def test_update_missing_item_is_none(self, repository: ItemRepository) -> None:
        assert await repository.update(1, {"name": "a"}) is None

    async def test_update_of_the_current_version_applies_the_changes(
        self, repository: ItemRepository
    ) -> None:
        [item] = await add(repository, "a")

        updated = await repository.update(item.id, {"description": "new"}, expected=item)

        assert updated is not None
        assert updated.description == "new"
        assert await repository.get(item.id) == updated

    async def test_update_of_a_stale_version_changes_nothing(
        self, repository: ItemRepository
    ) -> None:
        [stale] = await add(repository, "a")
        current = await repository.update(stale.id, {"description": "first"})

        # A change, a new name, the same name, nothing: each made to the stale version.
        attempts: list[dict[str, object]] = [{"description": "lost"}, {"name": "b"}, {"name": "a"}]
        attempts.append({})
        for changes in attempts:
            with pytest.raises(VersionChangedError):
                await repository.update(stale.id, changes, expected=stale)

        assert await repository.get(stale.id) == current

    async def test_update_without_a_change_of_the_current_version_keeps_it(
        self, repository: ItemRepository
    ) -> None:
        [item] = await add(repository, "a")

        assert await repository.update(item.id, {"name": "a"}, expected=item) == item

    async def test_a_version_is_changed_once(self, repository: ItemRepository) -> None:
        # Two changes made to one version: the second finds another version stored.
        [item] = await add(repository, "a")
        await repository.update(item.id, {"description": "first"}, expected=item)

        with pytest.raises(VersionChangedError):
            await repository.update(item.id, {"description": "second"}, expected=item)

    async def test_update_of_a_version_of_a_deleted_item_is_refused(
        self, repository: ItemRepository
    ) -> None:
        [item] = await add(repository, "a")
        await repository.delete(item.id)

        with pytest.raises(VersionChangedError):
            await repository.update(item.id, {"description": "new"}, expected=item)

    async def test_update_of_the_current_version_refuses_a_taken_name(
        self, repository: ItemRepository
    ) -> None:
        _, b = await add(repository, "a", "b")

        with pytest.raises(NameTakenError):
            await repository.update(b.id, {"name": "a"}, expected=b)

    async def test_delete_of_a_stale_version_keeps_the_item(
        self, repository: ItemRepository
    ) -> None:
        [stale] = await add(repository, "a")
        current = await repository.update(stale.id, {"description": "first"})

        with pytest.raises(VersionChangedError):
            await repository.delete(stale.id, expected=stale)

        assert await repository.get(stale.id) == current
        assert await repository.delete(stale.id, expected=current)
        assert await repository.get(stale.id) is None

    async def test_delete_removes_the_item(self, repository: ItemRepository) -> None:
        [item] = await add(repository, "a")

        assert await repository.delete(item.id)
        assert await repository.get(item.id) is None

    async def test_delete_missing_item_is_false(self, repository: ItemRepository) -> None:
        assert not await repository.delete(1)

    async def test_ids_of_deleted_items_are_not_reused(self, repository: ItemRepository) -> None:
        _, b = await add(repository, "a", "b")
        await repository.delete(b.id)

        [c] = await add(repository, "c")

        assert c.id == 3
