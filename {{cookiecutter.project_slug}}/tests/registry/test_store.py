"""Registrations kept in the service's database: what the registry confirmed, a restarted
registry still has."""

import json
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.main import create_app

from support.credentials import HEADERS
from support.members import registration, running_member
from support.plugins.database import SwitchableDatabase, app_on
from support.waiting import eventually

SERVICES = "/api/v1/services"
DEAD = "http://127.0.0.1:9"  # the discard port: nothing listens there


@contextmanager
def registry(settings: Settings) -> Iterator[TestClient]:
    """The registry, started; stopping it is a restart's first half."""
    with TestClient(create_app(settings), headers=HEADERS) as client:
        yield client


def listed(client: TestClient) -> dict[str, dict[str, object]]:
    services = client.get(SERVICES, params={"status": "any"}).json()
    return {service["id"]: service for service in services}


def test_registrations_outlive_a_restart_and_are_checked_again(settings: Settings) -> None:
    with running_member("billing") as billing:
        with registry(settings) as before:
            before.put(f"{SERVICES}/billing-1", json=billing.registration(tags=["eu"]))
            before.put(f"{SERVICES}/billing-2", json=billing.registration())
            before.put(f"{SERVICES}/billing-2", json=billing.registration(tags=["v2"]))
            before.put(f"{SERVICES}/search-1", json=registration("search", DEAD))
            assert before.delete(f"{SERVICES}/search-1").status_code == 204
            kept = listed(before)
        checks = billing.checks

        with registry(settings) as after:
            eventually(lambda: billing.checks >= checks + 2)  # both, again, at once
            eventually(lambda: len(after.get(SERVICES).json()) == 2)  # passing again
            restored = listed(after)

    assert restored.keys() == {"billing-1", "billing-2"}
    for service_id, service in restored.items():
        for field in ("name", "url", "tags", "health_url", "openapi_url", "registered_at"):
            assert service[field] == kept[service_id][field], field
    assert restored["billing-2"]["tags"] == ["v2"]


def test_the_same_registration_again_is_not_written_again(settings: Settings) -> None:
    with running_member("billing") as billing, registry(settings) as client:
        first = client.put(f"{SERVICES}/billing-1", json=billing.registration()).json()
        again = client.put(f"{SERVICES}/billing-1", json=billing.registration()).json()

    with registry(settings) as restarted:
        stored = restarted.get(f"{SERVICES}/billing-1").json()

    assert again["registered_at"] == first["registered_at"] == stored["registered_at"]


def test_an_instance_deregistered_by_its_checks_stays_gone(settings: Settings) -> None:
    with registry(settings) as client:
        client.put(f"{SERVICES}/gone-1", json=registration("gone", DEAD, deregister_after=1))
        eventually(lambda: client.get(f"{SERVICES}/gone-1").status_code == 404)

    with registry(settings) as restarted:
        assert listed(restarted) == {}


def test_without_its_database_the_registry_refuses_changes_and_loses_nothing(
    switchable_database: SwitchableDatabase,
) -> None:
    with running_member("billing") as billing:
        with TestClient(app_on(switchable_database.url), headers=HEADERS) as client:
            refused = client.put(f"{SERVICES}/billing-1", json=billing.registration())
            missing = client.get(f"{SERVICES}/billing-1")
            ready_without = client.get("/health/ready").json()

            switchable_database.up()
            eventually(lambda: client.get("/health/ready").status_code == 200)
            created = client.put(f"{SERVICES}/billing-1", json=billing.registration())

        with TestClient(app_on(switchable_database.url), headers=HEADERS) as restarted:
            restored = restarted.get(f"{SERVICES}/billing-1")

    assert refused.status_code == 503
    assert refused.headers["content-type"] == "application/problem+json"
    assert "database" in json.loads(refused.text)["detail"]
    assert missing.status_code == 404  # nothing half-done in memory either
    assert ready_without["checks"]["registry"] != "ok"  # its registrations are not loaded yet
    assert created.status_code == 201
    assert restored.status_code == 200
