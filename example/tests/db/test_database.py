import httpx2
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from my_service.db.settings import DatabaseSettings

from support.credentials import HEADERS
from support.plugins.database import SwitchableDatabase, app_on, assert_database_unavailable

ITEMS = "/api/v1/items"


def assert_unavailable(response: httpx2.Response) -> None:
    assert_database_unavailable(response, "The database cannot be reached.")


def test_the_service_runs_without_its_database_and_recovers_when_it_is_back(
    switchable_database: SwitchableDatabase,
) -> None:
    with TestClient(app_on(switchable_database.url), headers=HEADERS) as client:
        assert client.get("/health/live").status_code == 200
        ready = client.get("/health/ready")
        assert ready.status_code == 503
        assert ready.json()["checks"]["database"] == "unreachable"
        assert_unavailable(client.get(ITEMS))
        assert_unavailable(client.post(ITEMS, json={"name": "a"}))

        switchable_database.up()

        assert client.get("/health/ready").json()["checks"]["database"] == "ok"
        assert client.post(ITEMS, json={"name": "a"}).status_code == 201

        switchable_database.restart()

        assert client.get(ITEMS).json()["total"] == 1


def test_readiness_checks_the_database(client: TestClient) -> None:
    response = client.get("/health/ready")

    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://app:secret@db:5432/app", "postgresql+asyncpg://app:secret@db:5432/app"),
        ("postgresql://app@db/app", "postgresql+asyncpg://app@db/app"),
        ("sqlite:///var/app.sqlite3", "sqlite+aiosqlite:///var/app.sqlite3"),
        ("postgresql+psycopg://app@db/app", "postgresql+psycopg://app@db/app"),
    ],
)
def test_database_urls_get_an_async_driver(given: str, used: str) -> None:
    settings = DatabaseSettings(url=SecretStr(given))

    assert settings.url.get_secret_value() == used


def test_the_password_stays_out_of_the_settings_repr() -> None:
    url = SecretStr("postgresql+asyncpg://app:hunter2@db/app")
    settings = DatabaseSettings(url=url)

    assert "hunter2" not in repr(settings)
