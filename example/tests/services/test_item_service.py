import asyncio

import pytest

from my_service.errors import ConflictError, NotFoundError
from my_service.repositories.in_memory_items import InMemoryItemRepository
from my_service.schemas.items import ItemCreate, ItemUpdate
from my_service.services.items import ItemService


@pytest.fixture
def service() -> ItemService:
    return ItemService(InMemoryItemRepository())


def test_create_stores_the_item(service: ItemService) -> None:
    item = asyncio.run(service.create(ItemCreate(name="Widget", description="A small widget.")))

    assert asyncio.run(service.get(item.id)) == item


def test_create_refuses_a_taken_name(service: ItemService) -> None:
    asyncio.run(service.create(ItemCreate(name="Widget")))

    with pytest.raises(ConflictError, match="named 'Widget' already exists"):
        asyncio.run(service.create(ItemCreate(name="Widget")))


def test_get_refuses_a_missing_item(service: ItemService) -> None:
    with pytest.raises(NotFoundError, match="Item 42 does not exist"):
        asyncio.run(service.get(42))


def test_update_applies_only_the_fields_sent(service: ItemService) -> None:
    item = asyncio.run(service.create(ItemCreate(name="Widget", description="A small widget.")))

    updated = asyncio.run(service.update(item.id, ItemUpdate(name="Gadget")))

    assert updated.name == "Gadget"
    assert updated.description == "A small widget."


def test_update_can_clear_the_description(service: ItemService) -> None:
    item = asyncio.run(service.create(ItemCreate(name="Widget", description="A small widget.")))

    updated = asyncio.run(service.update(item.id, ItemUpdate(description=None)))

    assert updated.description is None


def test_update_may_keep_the_same_name(service: ItemService) -> None:
    item = asyncio.run(service.create(ItemCreate(name="Widget")))

    updated = asyncio.run(service.update(item.id, ItemUpdate(name="Widget")))

    assert updated.name == "Widget"


def test_update_refuses_a_name_taken_by_another_item(service: ItemService) -> None:
    asyncio.run(service.create(ItemCreate(name="Widget")))
    gadget = asyncio.run(service.create(ItemCreate(name="Gadget")))

    with pytest.raises(ConflictError, match="named 'Widget' already exists"):
        asyncio.run(service.update(gadget.id, ItemUpdate(name="Widget")))


def test_update_refuses_a_missing_item(service: ItemService) -> None:
    with pytest.raises(NotFoundError, match="Item 42 does not exist"):
        asyncio.run(service.update(42, ItemUpdate(name="Widget")))


def test_delete_removes_the_item(service: ItemService) -> None:
    item = asyncio.run(service.create(ItemCreate(name="Widget")))

    asyncio.run(service.delete(item.id))

    with pytest.raises(NotFoundError):
        asyncio.run(service.get(item.id))


def test_delete_refuses_a_missing_item(service: ItemService) -> None:
    with pytest.raises(NotFoundError, match="Item 42 does not exist"):
        asyncio.run(service.delete(42))
