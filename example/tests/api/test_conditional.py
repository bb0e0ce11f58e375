"""ETags on the items: 304 for a current copy, 412 for a change of a stale version."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from my_service.api.conditional import entity_tag, none_match, require_match
from my_service.errors import PreconditionFailedError
from my_service.repositories.items import Item
from my_service.services.items import ItemService

ITEMS = "/api/v1/items"
ITEM_TEMPLATE = ITEMS + "/{item_id}"


def test_the_tag_follows_the_bytes() -> None:
    assert entity_tag(b"a") == entity_tag(b"a") != entity_tag(b"b")
    assert entity_tag(b"a").startswith('"')


def test_if_none_match_compares_weakly_and_takes_lists_and_a_star() -> None:
    tag = entity_tag(b"a")

    assert none_match(None, tag)
    assert not none_match(tag, tag)
    assert not none_match(f'"other", W/{tag}', tag)
    assert not none_match("*", tag)
    assert none_match('"other"', tag)


def test_if_match_compares_strongly() -> None:
    tag = entity_tag(b"a")
    # Whether the change must be made to this version only: not without a tag, nor for any.
    assert not require_match(None, tag)
    assert require_match(f'"other", {tag}', tag)
    assert not require_match("*", tag)

    with pytest.raises(PreconditionFailedError):
        require_match(f"W/{tag}", tag)


def test_a_read_with_a_current_tag_is_a_304(client: TestClient) -> None:
    created = client.post(ITEMS, json={"name": "Widget"})
    tag = created.headers["ETag"]
    item = client.get(f"{ITEMS}/1")

    assert item.headers["ETag"] == tag
    unchanged = client.get(f"{ITEMS}/1", headers={"If-None-Match": tag})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged.headers["ETag"] == tag

    client.patch(f"{ITEMS}/1", json={"description": "new"})
    changed = client.get(f"{ITEMS}/1", headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert changed.json()["description"] == "new"
    assert changed.headers["ETag"] != tag


def test_a_page_has_a_tag_that_changes_with_its_items(client: TestClient) -> None:
    empty = client.get(ITEMS)
    assert client.get(ITEMS, headers={"If-None-Match": empty.headers["ETag"]}).status_code == 304

    client.post(ITEMS, json={"name": "Widget"})
    assert client.get(ITEMS, headers={"If-None-Match": empty.headers["ETag"]}).status_code == 200


def test_a_change_of_a_stale_version_is_a_412_and_changes_nothing(client: TestClient) -> None:
    stale = client.post(ITEMS, json={"name": "Widget"}).headers["ETag"]
    current = client.patch(f"{ITEMS}/1", json={"description": "first"}).headers["ETag"]

    refused = client.patch(f"{ITEMS}/1", json={"description": "lost"}, headers={"If-Match": stale})
    assert refused.status_code == 412
    assert refused.headers["content-type"] == "application/problem+json"
    assert client.delete(f"{ITEMS}/1", headers={"If-Match": stale}).status_code == 412
    assert client.get(f"{ITEMS}/1").json()["description"] == "first"

    accepted = client.patch(
        f"{ITEMS}/1", json={"description": "second"}, headers={"If-Match": current}
    )
    assert accepted.status_code == 200
    assert accepted.headers["ETag"] == client.get(f"{ITEMS}/1").headers["ETag"]
    latest = accepted.headers["ETag"]
    assert client.delete(f"{ITEMS}/1", headers={"If-Match": latest}).status_code == 204


def test_of_two_changes_sent_at_once_with_one_tag_one_is_a_412(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    tag = client.post(ITEMS, json={"name": "Widget"}).headers["ETag"]
    # Both read the version and find their tag current before either writes, as two requests
    # sent at once may: the store's conditional write decides between them.
    read = get = ItemService.get
    readers = 0
    both_read = asyncio.Event()

    async def get_then_wait(service: ItemService, item_id: int) -> Item:
        nonlocal readers
        item = await read(service, item_id)
        readers += 1
        if readers == 2:
            both_read.set()
        await asyncio.wait_for(both_read.wait(), timeout=10)
        return item

    monkeypatch.setattr(ItemService, "get", get_then_wait)

    def change(description: str) -> tuple[int, str]:
        answer = client.patch(
            f"{ITEMS}/1", json={"description": description}, headers={"If-Match": tag}
        )
        return answer.status_code, description

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = sorted(pool.map(change, ["first", "second"]))

    monkeypatch.setattr(ItemService, "get", get)
    assert [status for status, _ in answers] == [200, 412]
    [made] = [description for status, description in answers if status == 200]
    assert client.get(f"{ITEMS}/1").json()["description"] == made


def test_if_match_on_a_missing_item_is_a_404(client: TestClient) -> None:
    answer = client.patch(f"{ITEMS}/9", json={"description": "x"}, headers={"If-Match": "*"})

    assert answer.status_code == 404


def test_the_document_describes_the_conditions(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    assert "304" in paths[ITEM_TEMPLATE]["get"]["responses"]
    assert "304" in paths[ITEMS]["get"]["responses"]
    assert "412" in paths[ITEM_TEMPLATE]["patch"]["responses"]
    assert "412" in paths[ITEM_TEMPLATE]["delete"]["responses"]
    parameters = paths[ITEM_TEMPLATE]["patch"]["parameters"]
    assert "if-match" in {parameter["name"] for parameter in parameters}
