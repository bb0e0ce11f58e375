from fastapi import FastAPI
from fastapi.testclient import TestClient

from my_service.config import Settings
from my_service.main import create_app
from my_service.state import service_state


def test_live_answers_ok(client: TestClient) -> None:
    response = client.get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_with_passing_checks_names_the_components(settings: Settings) -> None:
    app = create_app(settings, features=[])  # only the checks and components added here
    state = service_state(app)

    async def database() -> None:
        return None

    state.readiness.add_check("database", database)
    state.components["model"] = {"name": "forecast", "version": "2.1.0"}
    with TestClient(app) as client:
        response = client.get("/health/ready")
        info = client.get("/api/v1/health").json()

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok"},
        "components": {"model": {"name": "forecast", "version": "2.1.0"}},
    }
    assert info["components"] == {"model": {"name": "forecast", "version": "2.1.0"}}


def test_ready_is_503_naming_the_failing_check(app: FastAPI, client: TestClient) -> None:
    async def broker() -> None:
        raise ConnectionRefusedError("secret-host:5672")

    service_state(app).readiness.add_check("broker", broker)

    response = client.get("/health/ready")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"] == "failing"
    assert "secret-host" not in response.text


def test_ready_is_503_while_shutting_down(app: FastAPI, client: TestClient) -> None:
    readiness = service_state(app).readiness
    readiness.shutting_down = True

    response = client.get("/health/ready")

    assert response.status_code == 503
    assert response.json()["checks"]["shutdown"] == "in progress"


def test_live_ignores_failing_dependencies(app: FastAPI, client: TestClient) -> None:
    async def broken() -> None:
        raise RuntimeError

    service_state(app).readiness.add_check("database", broken)

    assert client.get("/health/live").status_code == 200
