"""The one-pass JSON body: the endpoint gets its validated body; every way a body can be wrong
is FastAPI's 422 (as problem+json), located as FastAPI locates it; the OpenAPI document is
FastAPI's."""

import anyio
import pytest
from fastapi import APIRouter, FastAPI, Response
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field
from starlette.types import Message, Scope

from {{ cookiecutter.package_name }}.errors import install_error_handlers
from {{ cookiecutter.package_name }}.pipeline.body_limit import BodyLimit
from {{ cookiecutter.package_name }}.pipeline.layer import Pipeline
from {{ cookiecutter.package_name }}.serving.json_body import JSONBodyRoute

PROBLEM = "application/problem+json"


class Point(BaseModel):
    x: float = Field(ge=0)


class Shape(BaseModel):
    points: list[Point] = Field(min_length=1)


async def area(shape: Shape) -> Response:
    """Echoes the body it got, validated."""
    return Response(shape.model_dump_json(), media_type="application/json")


def app_with(route_class: type[APIRoute]) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    router = APIRouter(route_class=route_class)
    router.post("/shapes")(area)
    app.include_router(router)
    return app


@pytest.fixture
def client() -> TestClient:
    return TestClient(app_with(JSONBodyRoute))


def test_the_endpoint_gets_its_body_validated(client: TestClient) -> None:
    response = client.post("/shapes", json={"points": [{"x": 1}, {"x": "2.5"}]})

    assert response.status_code == 200
    assert response.json() == {"points": [{"x": 1.0}, {"x": 2.5}]}


def test_each_invalid_field_is_located_in_the_body(client: TestClient) -> None:
    response = client.post("/shapes", json={"points": [{"x": 1}, {"x": -1}, {}]})

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    errors = response.json()["errors"]
    assert [error["loc"] for error in errors] == [
        ["body", "points", 1, "x"],
        ["body", "points", 2, "x"],
    ]
    assert [error["type"] for error in errors] == ["greater_than_equal", "missing"]


def test_its_errors_are_located_as_fastapis_own(client: TestClient) -> None:
    body = {"points": [{"x": 1}, {"x": -1, "y": 2}, {"x": []}], "extra": True}
    fastapis = TestClient(app_with(APIRoute)).post("/shapes", json=body).json()["errors"]

    assert client.post("/shapes", json=body).json()["errors"] == fastapis


@pytest.mark.parametrize(
    "content",
    [b'{"points": [{"x": 1}', b"", b"[1, 2]", b"nul", '{"points": [{"x": 1}]}'.encode("utf-16")],
    ids=["truncated", "empty", "not an object", "no JSON", "not UTF-8"],
)
def test_a_body_that_is_not_the_json_object_is_a_422(client: TestClient, content: bytes) -> None:
    response = client.post("/shapes", content=content, headers={"content-type": "application/json"})

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["loc"] == ["body"]


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_a_body_not_sent_as_json_is_a_422(client: TestClient, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}

    response = client.post("/shapes", content=b'{"points": [{"x": 1}]}', headers=headers)

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "loc": ["body"],
            "msg": "The body must be JSON, sent with Content-Type: application/json",
            "type": "content_type",
        }
    ]


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "Application/JSON", "application/ld+json"]
)
def test_json_is_recognised_by_its_media_type(client: TestClient, content_type: str) -> None:
    response = client.post(
        "/shapes", content=b'{"points": [{"x": 1}]}', headers={"content-type": content_type}
    )

    assert response.status_code == 200


def test_a_body_the_client_stopped_sending_is_a_400() -> None:
    scope: Scope = {
        "type": "http",
        "method": "POST",
        "path": "/shapes",
        "headers": [(b"content-type", b"application/json")],
        "query_string": b"",
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    anyio.run(app_with(JSONBodyRoute), scope, receive, send)

    assert sent[0]["status"] == 400


def test_a_streamed_body_past_the_limit_is_the_pipelines_413() -> None:
    client = TestClient(Pipeline(app_with(JSONBodyRoute), [BodyLimit(16)]))
    chunks = (b'{"points": [{"x": 1}, ' for _ in range(4))  # no Content-Length: streamed

    response = client.post("/shapes", content=chunks, headers={"content-type": "application/json"})

    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM


def test_the_openapi_document_is_fastapis_own() -> None:
    assert app_with(JSONBodyRoute).openapi() == app_with(APIRoute).openapi()


def test_an_endpoint_taking_more_than_its_body_is_refused() -> None:
    async def scaled(shape: Shape, factor: float) -> Response:
        return Response()

    router = APIRouter(route_class=JSONBodyRoute)
    with pytest.raises(TypeError, match="its JSON body and nothing else"):
        router.post("/scaled")(scaled)
