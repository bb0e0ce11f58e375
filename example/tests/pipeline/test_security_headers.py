import pytest
from fastapi.testclient import TestClient

from my_service.config import Environment, Settings
from my_service.main import create_app

EVERY_RESPONSE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}


@pytest.mark.parametrize("path", ["/api/v1/health", "/no-such-route", "/health/live", "/metrics"])
def test_every_response_carries_the_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers

    assert {name: headers.get(name) for name in EVERY_RESPONSE} == EVERY_RESPONSE
    assert "Strict-Transport-Security" not in headers  # not outside production


def test_production_adds_hsts(settings: Settings) -> None:
    production = settings.model_copy(update={"environment": Environment.PRODUCTION})

    with TestClient(create_app(production)) as client:
        headers = client.get("/api/v1/health").headers

    assert headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
