from datetime import datetime
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient

ITEMS = "/api/v1/items"


def create(client: TestClient, name: str, description: str | None = None) -> dict[str, Any]:
    response = client.post(ITEMS, json={"name": name, "description": description})
    assert response.status_code == 201
    body: dict[str, Any] = response.json()
    return body


def assert_problem(response: httpx2.Response, status: int) -> None:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == status


def test_create_answers_the_item_and_its_location(client: TestClient) -> None:
    response = client.post(ITEMS, json={"name": "Widget", "description": "A small widget."})

    assert response.status_code == 201
    body = response.json()
    assert body["id"] == 1
    assert body["name"] == "Widget"
    assert body["description"] == "A small widget."
    assert body["created_at"] == body["updated_at"]
    assert datetime.fromisoformat(body["created_at"]).utcoffset() is not None
    assert response.headers["location"] == f"{ITEMS}/1"


def test_create_strips_the_name(client: TestClient) -> None:
    body = create(client, "  Widget  ")

    assert body["name"] == "Widget"


def test_create_without_description_stores_null(client: TestClient) -> None:
    response = client.post(ITEMS, json={"name": "Widget"})

    assert response.status_code == 201
    assert response.json()["description"] is None


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": "   "},
        {"name": "x" * 101},
        {"name": "Widget", "description": "x" * 1001},
        {"name": "Wid\u0000get"},
        {"name": "Widget", "description": "\u0000"},
        {"name": "Widget", "colour": "red"},
    ],
    ids=[
        "no-name",
        "blank-name",
        "long-name",
        "long-description",
        "nul-in-name",
        "nul-in-description",
        "unknown-field",
    ],
)
def test_create_refuses_an_invalid_body(client: TestClient, body: dict[str, Any]) -> None:
    response = client.post(ITEMS, json=body)

    assert_problem(response, 422)


def test_create_refuses_a_taken_name(client: TestClient) -> None:
    create(client, "Widget")

    response = client.post(ITEMS, json={"name": "Widget"})

    assert_problem(response, 409)
    assert response.json()["detail"] == "An item named 'Widget' already exists."


def test_get_answers_the_item(client: TestClient) -> None:
    created = create(client, "Widget", "A small widget.")

    response = client.get(f"{ITEMS}/{created['id']}")

    assert response.status_code == 200
    assert response.json() == created


def test_get_missing_item_is_not_found(client: TestClient) -> None:
    response = client.get(f"{ITEMS}/42")

    assert_problem(response, 404)
    assert response.json()["detail"] == "Item 42 does not exist."


@pytest.mark.parametrize("item_id", [0, 2**31])
def test_item_id_out_of_range_is_invalid(client: TestClient, item_id: int) -> None:
    response = client.get(f"{ITEMS}/{item_id}")

    assert_problem(response, 422)


def test_list_answers_a_page_and_the_total(client: TestClient) -> None:
    for name in ["a", "b", "c", "d"]:
        create(client, name)

    response = client.get(ITEMS, params={"limit": 2, "offset": 1})

    assert response.status_code == 200
    body = response.json()
    assert [item["name"] for item in body["items"]] == ["b", "c"]
    assert body["total"] == 4
    assert body["limit"] == 2
    assert body["offset"] == 1


def test_list_defaults_to_the_first_twenty(client: TestClient) -> None:
    response = client.get(ITEMS)

    assert response.status_code == 200
    assert response.json() == {"items": [], "total": 0, "limit": 20, "offset": 0}


def test_list_accepts_a_limit_of_one_hundred(client: TestClient) -> None:
    response = client.get(ITEMS, params={"limit": 100})

    assert response.status_code == 200
    assert response.json()["limit"] == 100


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"offset": 1_000_001}],
    ids=["limit-0", "limit-101", "negative-offset", "offset-past-a-million"],
)
def test_list_refuses_out_of_range_paging(client: TestClient, params: dict[str, int]) -> None:
    response = client.get(ITEMS, params=params)

    assert_problem(response, 422)


def test_patch_changes_only_the_fields_sent(client: TestClient) -> None:
    created = create(client, "Widget", "A small widget.")

    response = client.patch(f"{ITEMS}/{created['id']}", json={"name": "Gadget"})

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Gadget"
    assert body["description"] == "A small widget."
    assert body["created_at"] == created["created_at"]
    assert datetime.fromisoformat(body["updated_at"]) >= datetime.fromisoformat(
        created["updated_at"]
    )


def test_patch_can_clear_the_description(client: TestClient) -> None:
    created = create(client, "Widget", "A small widget.")

    response = client.patch(f"{ITEMS}/{created['id']}", json={"description": None})

    assert response.status_code == 200
    assert response.json()["description"] is None


@pytest.mark.parametrize(
    "body",
    [{"name": None}, {"name": ""}, {"colour": "red"}],
    ids=["null-name", "empty-name", "unknown-field"],
)
def test_patch_refuses_an_invalid_body(client: TestClient, body: dict[str, Any]) -> None:
    created = create(client, "Widget")

    response = client.patch(f"{ITEMS}/{created['id']}", json=body)

    assert_problem(response, 422)


def test_patch_refuses_a_taken_name(client: TestClient) -> None:
    create(client, "Widget")
    gadget = create(client, "Gadget")

    response = client.patch(f"{ITEMS}/{gadget['id']}", json={"name": "Widget"})

    assert_problem(response, 409)


def test_patch_missing_item_is_not_found(client: TestClient) -> None:
    response = client.patch(f"{ITEMS}/42", json={"name": "Widget"})

    assert_problem(response, 404)


def test_delete_removes_the_item(client: TestClient) -> None:
    created = create(client, "Widget")

    response = client.delete(f"{ITEMS}/{created['id']}")

    assert response.status_code == 204
    assert response.content == b""
    assert_problem(client.get(f"{ITEMS}/{created['id']}"), 404)


def test_delete_missing_item_is_not_found(client: TestClient) -> None:
    response = client.delete(f"{ITEMS}/42")

    assert_problem(response, 404)
