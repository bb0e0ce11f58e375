import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from support.members import registration, running_member
from support.waiting import eventually

SERVICES = "/api/v1/services"


def listed(client: TestClient, **query: Any) -> list[str]:
    response = client.get(SERVICES, params=query)
    assert response.status_code == 200
    return [service["id"] for service in response.json()]


def test_registering_is_idempotent_by_id(client: TestClient) -> None:
    with running_member("billing") as member:
        created = client.put(f"{SERVICES}/billing-1", json=member.registration())
        again = client.put(f"{SERVICES}/billing-1", json=member.registration())
        replaced = client.put(f"{SERVICES}/billing-1", json=member.registration(tags=["v2"]))
        found = client.get(f"{SERVICES}/billing-1")

    assert created.status_code == 201
    assert again.status_code == 200
    assert replaced.status_code == 200
    assert found.json()["tags"] == ["v2"]
    assert found.json()["name"] == "billing"
    assert set(found.json()["health"]) == {"status", "checked_at", "output"}


def test_a_registered_service_is_checked_at_once_and_listed_when_passing(
    client: TestClient,
) -> None:
    with running_member("billing") as member:
        client.put(f"{SERVICES}/billing-1", json=member.registration(interval=60, timeout=5))
        eventually(lambda: listed(client) == ["billing-1"])
        service = client.get(f"{SERVICES}/billing-1").json()

    assert member.checks == 1  # at registration; the next one is a minute away
    assert service["health"]["status"] == "passing"
    assert service["health"]["output"] == "HTTP 200"


def test_listings_filter_by_name_tags_and_status(client: TestClient) -> None:
    with running_member("billing") as billing, running_member("search") as search:
        search.health_status = 500
        client.put(f"{SERVICES}/billing-1", json=billing.registration(tags=["eu", "v1"]))
        client.put(f"{SERVICES}/billing-2", json=billing.registration(tags=["us", "v1"]))
        client.put(f"{SERVICES}/search-1", json=search.registration(tags=["eu"]))
        eventually(lambda: len(listed(client)) == 2 and search.checks > 0)

        assert listed(client) == ["billing-1", "billing-2"]  # passing only, by default
        assert listed(client, status="any") == ["billing-1", "billing-2", "search-1"]
        assert listed(client, status="critical") == ["search-1"]
        assert listed(client, name="search", status="any") == ["search-1"]
        assert listed(client, tag="eu", status="any") == ["billing-1", "search-1"]
        assert listed(client, tag=["eu", "v1"]) == ["billing-1"]


def test_deregistering_removes_and_stops_the_checks(client: TestClient) -> None:
    with running_member("billing") as member:
        client.put(f"{SERVICES}/billing-1", json=member.registration())
        eventually(lambda: member.checks >= 1)
        removed = client.delete(f"{SERVICES}/billing-1")
        checks = member.checks
        missing = client.get(f"{SERVICES}/billing-1")
        removed_again = client.delete(f"{SERVICES}/billing-1")
        time.sleep(1.5)  # it was checked every second
        checks_after = member.checks

    assert removed.status_code == 204
    assert checks_after == checks
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert removed_again.status_code == 404


@pytest.mark.parametrize(
    ("service_id", "changes"),
    [
        ("Billing_1", {}),  # ids are lowercase slugs
        ("billing-1", {"url": "ftp://10.0.0.1/"}),  # http and https only
        ("billing-1", {"health_url": "not a url"}),
        ("billing-1", {"name": "has spaces"}),
        ("billing-1", {"tags": ["x"] * 65}),
        ("billing-1", {"tags": ["a" * 129]}),
        ("billing-1", {"tags": ["with space"]}),
        ("billing-1", {"interval": 5, "timeout": 10}),  # a check outlasting its interval
        ("billing-1", {"interval": 0.1}),
        ("billing-1", {"unknown": 1}),
    ],
)
def test_invalid_registrations_are_refused(
    client: TestClient, service_id: str, changes: dict[str, Any]
) -> None:
    body = registration("billing", "http://127.0.0.1:9", **changes)
    response = client.put(f"{SERVICES}/{service_id}", json=body)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert client.get(SERVICES, params={"status": "any"}).json() == []
