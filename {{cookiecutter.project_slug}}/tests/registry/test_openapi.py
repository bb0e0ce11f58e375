from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import Depends, FastAPI
from fastapi.security import HTTPBearer
from fastapi.testclient import TestClient
from openapi_spec_validator import validate
from pydantic import BaseModel

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.features import enabled_features
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.registry.feature import RegistryServer
from {{ cookiecutter.package_name }}.registry.openapi import merge
from {{ cookiecutter.package_name }}.registry.settings import RegistrySettings

from support.credentials import HEADERS
from support.members import running_member
from support.waiting import eventually

SERVICES = "/api/v1/services"
bearer = HTTPBearer()


def service_document(title: str) -> dict[str, Any]:
    """The document of a FastAPI service with the same path and schema names as any other."""

    class Part(BaseModel):
        name: str

    class Item(BaseModel):
        name: str
        parts: list[Part]

    app = FastAPI(title=title)

    @app.post("/items", dependencies=[Depends(bearer)])
    def create_item(item: Item) -> Item:
        return item

    return app.openapi()


def references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)


def resolves(document: dict[str, Any], ref: str) -> bool:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def assert_whole(document: dict[str, Any]) -> None:
    """A valid OpenAPI document whose every reference resolves."""
    validate(document)
    dangling = [ref for ref in references(document) if not resolves(document, ref)]
    assert dangling == []


def test_services_with_the_same_paths_and_schemas_merge_without_collisions() -> None:
    documents = {name: service_document(name) for name in ("billing", "search")}

    merged = merge(documents, {}, "registry", "1.0.0")

    assert_whole(merged)
    assert sorted(merged["paths"]) == ["/billing/items", "/search/items"]
    schemas = merged["components"]["schemas"]
    assert {"billing__Item", "billing__Part", "search__Item", "search__Part"} <= set(schemas)
    assert schemas["billing__Item"]["properties"]["parts"]["items"] == {
        "$ref": "#/components/schemas/billing__Part"
    }
    operations = [path["post"] for path in merged["paths"].values()]
    assert len({operation["operationId"] for operation in operations}) == 2
    assert operations[0]["security"] == [{"billing__HTTPBearer": []}]
    assert "billing__HTTPBearer" in merged["components"]["securitySchemes"]


def test_a_services_default_security_applies_to_its_operations() -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "billing", "version": "1"},
        "security": [{"key": []}],
        "paths": {
            "/open": {"get": {"security": [], "responses": {"200": {"description": "ok"}}}},
            "/closed": {"get": {"responses": {"200": {"description": "ok"}}}},
        },
        "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X"}}},
    }

    merged = merge({"billing": document}, {}, "registry", "1.0.0")

    assert_whole(merged)
    assert merged["paths"]["/billing/closed"]["get"]["security"] == [{"billing__key": []}]
    assert merged["paths"]["/billing/open"]["get"]["security"] == []


def registry_app(settings: Settings, openapi_max_age: float) -> FastAPI:
    """The service, its registry keeping documents ``openapi_max_age`` seconds."""
    registry = RegistryServer(settings, RegistrySettings(openapi_max_age=openapi_max_age))
    features = enabled_features(settings)
    return create_app(settings, [registry if f.name == registry.name else f for f in features])


@pytest.fixture
def registry(settings: Settings) -> Iterator[TestClient]:
    with TestClient(registry_app(settings, openapi_max_age=60), headers=HEADERS) as client:
        yield client


def test_the_merged_document_of_the_passing_services(registry: TestClient) -> None:
    with (
        running_member("billing") as billing,
        running_member("search") as search,
        running_member("broken") as broken,
    ):
        billing.document, search.document = service_document("b"), service_document("s")
        broken.document_status = 500
        for member in (billing, search, broken):
            registry.put(f"{SERVICES}/{member.name}-1", json=member.registration())
        eventually(lambda: len(registry.get(SERVICES).json()) == 3)

        first = registry.get("/api/v1/openapi")
        second = registry.get("/api/v1/openapi")

    assert first.status_code == 200
    merged = first.json()
    assert_whole(merged)
    assert sorted(merged["paths"]) == ["/billing/items", "/search/items"]
    assert merged["x-registry-unavailable"] == {"broken": "broken-1: HTTP 500"}
    assert second.json() == merged
    assert billing.documents_sent == 1  # kept for REGISTRY_OPENAPI_MAX_AGE


def test_a_stale_document_is_revalidated_by_its_etag(settings: Settings) -> None:
    with (
        running_member("billing") as billing,
        TestClient(registry_app(settings, openapi_max_age=0), headers=HEADERS) as registry,
    ):
        billing.document = service_document("b")
        registry.put(f"{SERVICES}/billing-1", json=billing.registration())
        eventually(lambda: len(registry.get(SERVICES).json()) == 1)
        unchanged = [registry.get("/api/v1/openapi").json() for _ in range(3)]
        billing.document = service_document("b2")
        changed = registry.get("/api/v1/openapi").json()

    assert unchanged[0] == unchanged[2]
    assert billing.documents_sent == 2  # the first time, and once it changed: 304s between
    assert changed["x-registry-services"]["billing"]["title"] == "b2"


def test_registered_names_cannot_hold_the_separator(registry: TestClient) -> None:
    response = registry.put(
        f"{SERVICES}/a-1",
        json={"name": "a__b", "url": "http://a.test", "health_url": "http://a.test/h"},
    )
    assert response.status_code == 422
