"""The registry as a real server, checking services on their sockets."""

import os
import subprocess

import httpx2

from support.credentials import HEADERS
from support.members import running_member
from support.servers import SERVICE_COMMAND, running_service
from support.waiting import eventually

# Two checks in a row flip a status: a second a check, so about two seconds a flip.
REGISTRY = {"REGISTRY_FLIP_AFTER": "2"}


def health(registry: str, service_id: str) -> dict[str, str] | None:
    response = httpx2.get(f"{registry}/api/v1/services/{service_id}")
    if response.status_code == 404:
        return None
    health: dict[str, str] = response.json()["health"]
    return health


def status(registry: str, service_id: str) -> str | None:
    found = health(registry, service_id)
    return None if found is None else found["status"]


def test_statuses_follow_the_checks_then_a_dead_service_is_deregistered() -> None:
    with running_service(REGISTRY) as registry, running_member("billing") as member:
        registration = member.registration(deregister_after=2)
        put = httpx2.put(
            f"{registry.url}/api/v1/services/billing-1", json=registration, headers=HEADERS
        )
        assert put.status_code == 201
        eventually(lambda: status(registry.url, "billing-1") == "passing")

        member.health_status = 500
        checks = member.checks
        eventually(lambda: status(registry.url, "billing-1") == "critical")
        assert member.checks - checks >= 2  # one failure does not flip it

        member.health_status = 429
        eventually(lambda: status(registry.url, "billing-1") == "warning")
        member.health_status = 200
        eventually(lambda: status(registry.url, "billing-1") == "passing")

        member.health_status = 503
        eventually(lambda: status(registry.url, "billing-1") is None, seconds=20)
        metrics = httpx2.get(f"{registry.url}/metrics").text

    assert "registry_deregistered_total 1.0" in metrics
    assert 'registry_check_failures_total{reason="status"}' in metrics


def test_unreachable_and_slow_services_are_critical() -> None:
    with running_service(REGISTRY) as registry, running_member("slow") as member:
        closed = member.registration(
            name="gone", url="http://127.0.0.1:9", health_url="http://127.0.0.1:9/health"
        )
        httpx2.put(f"{registry.url}/api/v1/services/gone-1", json=closed, headers=HEADERS)
        eventually(
            lambda: (
                (health(registry.url, "gone-1") or {}).get("output", "").startswith("unreachable")
            )
        )
        assert status(registry.url, "gone-1") == "critical"

        member.delay = 2.0  # longer than its 1 s timeout
        httpx2.put(
            f"{registry.url}/api/v1/services/slow-1", json=member.registration(), headers=HEADERS
        )
        eventually(lambda: (health(registry.url, "slow-1") or {}).get("output") == "timeout")
        assert status(registry.url, "slow-1") == "critical"


def test_the_registry_refuses_several_workers() -> None:
    """Each worker would hold a registry of its own."""
    environment = {**os.environ, "ENVIRONMENT": "production", "WORKERS": "2"}
    result = subprocess.run(  # noqa: S603
        SERVICE_COMMAND, env=environment, capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 1
    assert "invalid setting WORKERS: registry keeps its state in one process" in result.stderr
