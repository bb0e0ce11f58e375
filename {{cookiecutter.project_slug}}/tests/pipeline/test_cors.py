import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.config import Settings

from support import LogCapture

UI = "https://ui.example"
PREFLIGHT = {"Origin": UI, "Access-Control-Request-Method": "POST"}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"cors_origins": [UI]})


def test_a_preflight_is_answered_and_logged_like_any_request(
    client: TestClient, logs: LogCapture
) -> None:
    response = client.options("/api/v1/items", headers=PREFLIGHT)

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == UI
    assert "POST" in response.headers["access-control-allow-methods"]
    assert len(response.headers["x-request-id"]) == 32
    [line] = logs.by_logger("access")
    assert (line["method"], line["status"]) == ("OPTIONS", 200)


def test_a_preflight_from_another_origin_is_a_problem(client: TestClient) -> None:
    response = client.options("/api/v1/items", headers={**PREFLIGHT, "Origin": "https://evil"})

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "Disallowed CORS origin"
    assert "access-control-allow-origin" not in response.headers


def test_answers_to_an_allowed_origin_can_be_read_by_its_pages(client: TestClient) -> None:
    response = client.get("/api/v1/health", headers={"Origin": UI})

    assert response.headers["access-control-allow-origin"] == UI
    exposed = response.headers["access-control-expose-headers"]
    assert {"X-Request-ID", "ETag", "RateLimit", "Retry-After"} <= set(exposed.split(", "))
    assert "Origin" in response.headers["vary"]


def test_answers_to_other_origins_carry_no_permission(client: TestClient) -> None:
    response = client.get("/api/v1/health", headers={"Origin": "https://evil"})

    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    assert "Origin" in response.headers["vary"]  # caches must not serve it to the allowed one


def test_without_cors_origins_no_cors_header_is_sent(settings: Settings) -> None:
    from {{ cookiecutter.package_name }}.main import create_app

    with TestClient(create_app(settings.model_copy(update={"cors_origins": []}))) as client:
        response = client.get("/api/v1/health", headers={"Origin": UI})

    assert not any(name.startswith("access-control-") for name in response.headers)
