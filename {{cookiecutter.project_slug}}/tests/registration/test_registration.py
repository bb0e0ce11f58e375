from typing import Any

import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.config import Environment, Settings, SettingsError
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.registration.feature import Registration
from {{ cookiecutter.package_name }}.registration.settings import RegistrationSettings, slug

from support.recording_registry import RecordingRegistry, recording_registry
from support.servers import running_service
from support.waiting import eventually

SERVICE_URL = "http://10.0.0.7:8080"


def registering(settings: Settings, registry: RecordingRegistry, **changes: Any) -> TestClient:
    """The app, registering with ``registry`` (again every 0.2 s)."""
    registration = RegistrationSettings.model_validate(
        {
            "registry_url": registry.url,
            "service_url": SERVICE_URL,
            "service_tags": "web_crawler, examplehost.com,dirty",
            "registry_refresh_seconds": 0.2,
            **changes,
        }
    )
    return TestClient(create_app(settings, [Registration(settings, registration)]))


def test_registers_at_startup_with_its_urls_and_tags(settings: Settings) -> None:
    with recording_registry() as registry, registering(settings, registry):
        eventually(lambda: len(registry.services) == 1)
        [(service_id, registration)] = registry.services.items()

    name = slug(settings.service_name)
    assert service_id == f"{name}-10-0-0-7-8080"
    assert registration == {
        "name": name,
        "url": SERVICE_URL,
        "tags": ["web_crawler", "examplehost.com", "dirty"],
        "health_url": f"{SERVICE_URL}/health/ready",
        "openapi_url": f"{SERVICE_URL}/openapi.json",
        "interval": 10.0,
        "timeout": 5.0,
        "deregister_after": 600.0,
    }


def test_deregisters_when_it_stops(settings: Settings) -> None:
    with recording_registry() as registry:
        with registering(settings, registry, service_id="crawler-1"):
            eventually(lambda: "crawler-1" in registry.services)
        assert registry.services == {}
        assert registry.requests[-1][:2] == ("DELETE", "crawler-1")


def test_retries_while_the_registry_is_down_and_is_ready_meanwhile(settings: Settings) -> None:
    with recording_registry() as registry:
        registry.answer = 503
        with registering(settings, registry) as client:
            eventually(lambda: registry.count("PUT") >= 2)
            ready = client.get("/health/ready")
            registry.answer = 200
            eventually(lambda: len(registry.services) == 1, seconds=10)

    assert ready.status_code == 200


def test_registers_again_after_the_registry_forgot_it(settings: Settings) -> None:
    with recording_registry() as registry, registering(settings, registry):
        eventually(lambda: len(registry.services) == 1)
        registry.forget()  # a restart of a registry that keeps them in memory
        eventually(lambda: len(registry.services) == 1)


def test_sends_its_api_key(settings: Settings) -> None:
    with recording_registry() as registry:
        with registering(settings, registry, registry_api_key="registrar.s3cret"):
            eventually(lambda: len(registry.services) == 1)
        assert all(headers["X-API-Key"] == "registrar.s3cret" for *_, headers in registry.requests)


def test_unconfigured_it_runs_unregistered_in_development_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("REGISTRY_URL")
    monkeypatch.delenv("SERVICE_URL")
    development = Settings(environment=Environment.DEVELOPMENT)
    assert Registration(development, RegistrationSettings()).registrar is None

    production = Settings(environment=Environment.PRODUCTION)
    no_registry = RegistrationSettings.model_validate({"service_url": SERVICE_URL})
    with pytest.raises(SettingsError, match="REGISTRY_URL"):
        Registration(production, no_registry)
    no_url = RegistrationSettings.model_validate({"registry_url": "http://registry:8000"})
    with pytest.raises(SettingsError, match="SERVICE_URL"):
        Registration(production, no_url)


@pytest.mark.parametrize(
    "variables",
    [
        {"SERVICE_TAGS": "has space"},
        {"SERVICE_URL": "ftp://10.0.0.7"},
        {"SERVICE_ID": "Not A Slug"},
        {"REGISTRY_REFRESH_SECONDS": "0"},
    ],
)
def test_invalid_settings_are_refused(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str]
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=f"invalid setting {next(iter(variables))}"):
        Registration(Settings(environment=Environment.PRODUCTION))


def test_the_server_registers_and_deregisters_when_it_stops(
    session_registry: RecordingRegistry,
) -> None:
    with running_service({"SERVICE_ID": "served-1"}):
        eventually(lambda: "served-1" in session_registry.services)
    assert "served-1" not in session_registry.services
