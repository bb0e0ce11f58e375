import pytest
from fastapi.testclient import TestClient

from support import LogCapture


def test_keeps_a_valid_incoming_id(client: TestClient) -> None:
    response = client.get("/health/live", headers={"X-Request-ID": "abc-123.def:4_5"})

    assert response.headers["X-Request-ID"] == "abc-123.def:4_5"


@pytest.mark.parametrize("bad_id", ["", "has space", "x" * 129, "new\\nline", "é"])
def test_replaces_an_invalid_incoming_id(client: TestClient, bad_id: str) -> None:
    response = client.get("/health/live", headers={b"X-Request-ID": bad_id.encode("utf-8")})

    replaced = response.headers["X-Request-ID"]
    assert replaced != bad_id
    assert len(replaced) == 32


def test_generates_a_different_id_per_request(client: TestClient) -> None:
    first = client.get("/health/live").headers["X-Request-ID"]
    second = client.get("/health/live").headers["X-Request-ID"]

    assert first != second


def test_id_is_bound_to_the_request_logs(client: TestClient, logs: LogCapture) -> None:
    client.get("/api/v1/health", headers={"X-Request-ID": "trace-me"})

    access = logs.by_logger("access")
    assert [record["request_id"] for record in access] == ["trace-me"]
