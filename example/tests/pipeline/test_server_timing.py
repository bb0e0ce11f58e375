import re

import pytest
from fastapi.testclient import TestClient

from my_service.config import Environment, Settings

from support import LogCapture


def test_every_response_carries_its_duration(client: TestClient) -> None:
    for path in ("/health/live", "/no-such-page"):
        response = client.get(path)

        server_timing = re.fullmatch(r"app;dur=(\d+\.\d{3})", response.headers["Server-Timing"])
        assert server_timing is not None
        assert 0 <= float(server_timing.group(1)) < 5000
        assert "X-Process-Time" not in response.headers  # Server-Timing is the one field


def test_one_access_log_line_per_request(client: TestClient, logs: LogCapture) -> None:
    client.post("/api/v1/items", json={"name": "Widget"})
    client.get("/api/v1/items/1", headers={"X-Request-ID": "req-1"})

    access = logs.by_logger("access")
    assert [(r["method"], r["route"], r["status"]) for r in access] == [
        ("POST", "/api/v1/items", 201),
        ("GET", "/api/v1/items/{item_id}", 200),
    ]
    line = access[1]
    assert set(line) >= {"timestamp", "level", "message", "request_id", "duration_ms", "client"}
    assert line["request_id"] == "req-1"
    assert line["level"] == "INFO"
    assert line["duration_ms"] >= 0
    assert line["message"].startswith("GET /api/v1/items/{item_id} 200 ")


@pytest.mark.parametrize("settings", [Settings(environment=Environment.TEST, access_log=False)])
def test_access_log_can_be_switched_off(client: TestClient, logs: LogCapture) -> None:
    client.get("/health/live")

    assert logs.by_logger("access") == []
