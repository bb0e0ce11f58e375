from fastapi.testclient import TestClient

from my_service.config import Environment, Settings
from my_service.main import create_app


def test_openapi_lists_the_versioned_api(client: TestClient) -> None:
    response = client.get("/openapi.json")

    assert response.status_code == 200
    assert "/api/v1/health" in response.json()["paths"]


def test_production_hides_the_docs() -> None:
    with TestClient(create_app(Settings(environment=Environment.PRODUCTION))) as client:
        assert client.get("/openapi.json").status_code == 404
        assert client.get("/docs").status_code == 404


def test_unknown_route_is_not_found(client: TestClient) -> None:
    assert client.get("/no-such-route").status_code == 404
