"""Every error answers RFC 9457 problem+json, and a 500 reveals nothing."""

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from my_service.config import Environment, Settings
from my_service.errors import ConflictError, UnavailableError

from support import LogCapture

PROBLEM_KEYS = {"type", "title", "status", "instance", "request_id"}


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["request_id"] == response.headers["X-Request-ID"]
    return body


def test_unknown_route_is_404(client: TestClient) -> None:
    body = problem(client.get("/nowhere"), 404)

    assert body["title"] == "Not Found"
    assert body["instance"] == "/nowhere"


def test_wrong_method_is_405(client: TestClient) -> None:
    response = client.put("/health/live")

    problem(response, 405)
    assert response.headers["Allow"] == "GET"


def test_invalid_request_is_422_with_field_errors(client: TestClient) -> None:
    body = problem(client.post("/api/v1/items", json={"description": 5}), 422)

    fields = {tuple(error["loc"]) for error in body["errors"]}
    assert fields == {("body", "name"), ("body", "description")}
    assert all(set(error) == {"loc", "msg", "type"} for error in body["errors"])


@pytest.mark.parametrize("body", [b"\xff\xfe{", b'{"name": "\xe9"}', b"\x80"])
def test_a_json_body_that_is_not_utf8_is_422(client: TestClient, body: bytes) -> None:
    response = client.post(
        "/api/v1/items", content=body, headers={"content-type": "application/json"}
    )

    assert problem(response, 422)["errors"][0]["loc"] == ["body"]


def test_malformed_json_is_422(client: TestClient) -> None:
    response = client.post(
        "/api/v1/items", content=b"{not json", headers={"content-type": "application/json"}
    )

    problem(response, 422)


@pytest.mark.parametrize(
    ("error", "status"), [(ConflictError("taken"), 409), (UnavailableError("db down"), 503)]
)
def test_app_errors_map_to_their_status(
    app: FastAPI, client: TestClient, error: Exception, status: int
) -> None:
    @app.get("/fails")
    async def fails() -> None:
        raise error

    body = problem(client.get("/fails"), status)

    assert body["detail"] == str(error)


@pytest.mark.parametrize(
    "settings",
    [Settings(environment=Environment.TEST, cors_origins=["https://ui.example"])],
)
def test_unhandled_error_is_a_bare_500_with_request_id_and_cors(
    app: FastAPI, client: TestClient, logs: LogCapture
) -> None:
    @app.get("/crash")
    async def crash() -> None:
        raise RuntimeError("password=hunter2 in /srv/app/secret.py")

    response = client.get(
        "/crash", headers={"Origin": "https://ui.example", "X-Request-ID": "crash-1"}
    )

    body = problem(response, 500)
    assert "detail" not in body
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text
    assert response.headers["access-control-allow-origin"] == "https://ui.example"
    logged = [record for record in logs.records if record["level"] == "ERROR"]
    assert len(logged) == 1
    assert logged[0]["request_id"] == "crash-1"
    assert "RuntimeError" in logged[0]["exception"]


def test_openapi_documents_the_problem_responses(client: TestClient) -> None:
    document = client.get("/openapi.json").json()

    item = document["paths"]["/api/v1/items/{item_id}"]["get"]["responses"]
    assert {"404", "422", "500"} <= set(item)
    assert "application/problem+json" in item["404"]["content"]
    assert "Problem" in document["components"]["schemas"]
