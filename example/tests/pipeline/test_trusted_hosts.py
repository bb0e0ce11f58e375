import pytest
from fastapi.testclient import TestClient

from my_service.config import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"allowed_hosts": ["api.example.com", "*.example.org"]})


@pytest.mark.parametrize(
    "host", ["api.example.com", "API.example.com:8443", "example.org", "eu.example.org"]
)
def test_allowed_hosts_are_served(client: TestClient, host: str) -> None:
    assert client.get("/api/v1/health", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "api.example.com.evil", "badexample.org"])
def test_other_hosts_get_a_400_problem(client: TestClient, host: str) -> None:
    response = client.get("/api/v1/health", headers={"Host": host})

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "Invalid host header."


def test_probes_answer_any_host(client: TestClient) -> None:
    assert client.get("/health/live", headers={"Host": "10.0.0.7:8000"}).status_code == 200


def test_any_host_is_served_when_none_is_configured(settings: Settings) -> None:
    from my_service.main import create_app

    with TestClient(create_app(settings.model_copy(update={"allowed_hosts": []}))) as client:
        assert client.get("/api/v1/health", headers={"Host": "anything"}).status_code == 200
