"""What routes require: ``require_scopes`` answers 401 without credentials and 403 with too few
scopes, and the OpenAPI document says which operations need what."""

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.auth.scopes import Caller, require_scopes

from support.auth import TEST_SETTINGS, Passwords, app_with, failures
from support.credentials import HEADERS

PROBLEM = "application/problem+json"
reports = APIRouter()


@reports.post("/reports", dependencies=require_scopes("items:write"))
async def file_report() -> dict[str, str]:
    return {"filed": "yes"}


@reports.post("/audits", dependencies=require_scopes("items:write", "audits:write"))
async def file_audit() -> dict[str, str]:
    return {"filed": "yes"}


@reports.get("/me")
async def me(caller: Caller) -> dict[str, object]:
    return {"subject": caller.subject, "scopes": sorted(caller.scopes), "scheme": caller.scheme}


@pytest.fixture
def client() -> TestClient:
    """The service accepting the tests' passwords, with routes that require scopes."""
    app = app_with([Passwords(TEST_SETTINGS)])
    app.include_router(reports)
    return TestClient(app)


def test_no_credentials_is_a_401_with_the_challenges(client: TestClient) -> None:
    before = failures("missing")

    response = client.post("/reports")

    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["www-authenticate"] == "Password"
    assert failures("missing") == before + 1


def test_every_required_scope_is_needed(client: TestClient) -> None:
    before = failures("insufficient_scope")

    allowed = client.post("/reports", headers={"X-Password": "alice"})
    refused = client.post("/audits", headers={"X-Password": "alice"})

    assert allowed.status_code == 200
    assert refused.status_code == 403
    assert refused.headers["content-type"] == PROBLEM
    assert failures("insufficient_scope") == before + 1


def test_a_handler_reads_its_caller(client: TestClient) -> None:
    response = client.get("/me", headers={"X-Password": "alice"})

    assert response.json() == {"subject": "alice", "scopes": ["items:write"], "scheme": "password"}
    assert client.get("/me").status_code == 401


def test_items_are_read_by_anyone_and_changed_with_items_write(app: FastAPI) -> None:
    with TestClient(app) as client:
        assert client.get("/api/v1/items").status_code == 200
        assert client.post("/api/v1/items", json={"name": "Widget"}).status_code == 401
        created = client.post("/api/v1/items", json={"name": "Widget"}, headers=HEADERS)
        assert created.status_code == 201
        item = created.headers["location"]
        assert client.patch(item, json={"name": "Gadget"}).status_code == 401
        assert client.delete(item).status_code == 401
        assert client.patch(item, json={"name": "Gadget"}, headers=HEADERS).status_code == 200
        assert client.delete(item, headers=HEADERS).status_code == 204


def test_the_openapi_document_shows_what_each_operation_needs(app: FastAPI) -> None:
    document = TestClient(app).get("/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    items, item = document["paths"]["/api/v1/items"], document["paths"]["/api/v1/items/{item_id}"]

    assert schemes  # /docs' Authorize button
    assert "security" not in items["get"]
    assert "security" not in item["get"]
    for operation in (items["post"], item["patch"], item["delete"]):
        assert {name for requirement in operation["security"] for name in requirement} == set(
            schemes
        )
        assert {"401", "403"} <= set(operation["responses"])
