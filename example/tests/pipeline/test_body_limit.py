from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from starlette.types import Receive, Scope, Send

from my_service.config import Settings
from my_service.pipeline.body_limit import BodyLimit
from my_service.pipeline.layer import Pipeline

ITEMS = "/api/v1/items"
LIMIT = 1024
JSON = {"content-type": "application/json"}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"max_body_size": LIMIT})


def chunks(body: bytes, size: int = 256) -> Iterator[bytes]:
    """A body sent without Content-Length (chunked), as a streaming client sends it."""
    return (body[start : start + size] for start in range(0, len(body), size))


def assert_too_large(response: httpx2.Response) -> None:
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    detail = f"The request body is larger than the {LIMIT} bytes this service accepts."
    assert response.json()["detail"] == detail
    assert "X-Request-ID" in response.headers


def item_of_size(size: int) -> bytes:
    body = b'{"name": "Widget", "description": "%s"}'
    return body % (b"x" * (size - len(body) + 2))


def test_a_body_at_the_limit_is_served(client: TestClient) -> None:
    body = item_of_size(LIMIT)

    assert len(body) == LIMIT
    assert client.post(ITEMS, content=body, headers=JSON).status_code == 201


def test_a_declared_larger_body_is_refused_unread(client: TestClient) -> None:
    assert_too_large(client.post(ITEMS, content=item_of_size(LIMIT + 1), headers=JSON))


def test_a_streamed_body_is_refused_once_past_the_limit(client: TestClient) -> None:
    assert_too_large(client.post(ITEMS, content=chunks(b"x" * (LIMIT * 4)), headers=JSON))


def test_a_streamed_body_within_the_limit_is_served(client: TestClient) -> None:
    response = client.post(ITEMS, content=chunks(item_of_size(LIMIT)), headers=JSON)

    assert response.status_code == 201


async def echo_length(scope: Scope, receive: Receive, send: Send) -> None:
    """A plain ASGI app that reads the whole body itself, outside FastAPI."""
    size, more = 0, True
    while more:
        message: dict[str, Any] = dict(await receive())
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(size).encode()})


def test_a_plain_asgi_app_gets_the_413_too() -> None:
    client = TestClient(Pipeline(echo_length, [BodyLimit(LIMIT)]))  # no lifespan

    within = client.post("/", content=chunks(b"x" * LIMIT))
    beyond = client.post("/", content=chunks(b"x" * (LIMIT + 1)))

    assert within.text == str(LIMIT)
    assert beyond.status_code == 413
    assert beyond.headers["content-type"] == "application/problem+json"
