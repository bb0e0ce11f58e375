from fastapi.testclient import TestClient

from my_service import __version__
from my_service.config import Settings


def test_service_info_describes_the_service(client: TestClient, settings: Settings) -> None:
    response = client.get("/api/v1/health")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == settings.service_name
    assert body["version"] == __version__
    assert body["environment"] == "test"
    assert body["uptime_seconds"] >= 0
