from datetime import date

import pytest
from fastapi.testclient import TestClient

from my_service.config import ApiDeprecation, Environment, Settings

DEPRECATED_V1 = Settings(
    environment=Environment.TEST,
    api_deprecations={
        "v1": ApiDeprecation(deprecated_on=date(2026, 1, 1), sunset_on=date(2027, 1, 1))
    },
)


@pytest.mark.parametrize("settings", [DEPRECATED_V1])
def test_a_deprecated_version_says_so_on_every_response(client: TestClient) -> None:
    for path in ("/api/v1/health", "/api/v1/items/999"):
        response = client.get(path)

        assert response.headers["Deprecation"] == "@1767225600"
        assert response.headers["Sunset"] == "Fri, 01 Jan 2027 00:00:00 GMT"


@pytest.mark.parametrize("settings", [DEPRECATED_V1])
def test_other_paths_are_not_marked(client: TestClient) -> None:
    for path in ("/health/live", "/api/v10/x", "/api/v1x"):
        assert "Deprecation" not in client.get(path).headers


def test_nothing_is_deprecated_by_default(client: TestClient) -> None:
    assert "Deprecation" not in client.get("/api/v1/health").headers
