import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from fastapi.testclient import TestClient

from my_service.config import Settings
from my_service.main import create_app

TIMEOUT = 0.2


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"request_timeout": TIMEOUT})


@pytest.fixture
def cleanups() -> list[str]:
    return []


@pytest.fixture
def app(settings: Settings, cleanups: list[str]) -> FastAPI:
    app = create_app(settings)

    @app.get("/slow")
    async def slow() -> dict[str, str]:
        try:
            await asyncio.sleep(5)
        finally:
            cleanups.append("slow")
        return {"status": "finished"}

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        async def parts() -> AsyncIterator[bytes]:
            for part in (b"a", b"b", b"c"):
                await asyncio.sleep(TIMEOUT)
                yield part

        return StreamingResponse(parts())

    @app.get("/own-timeout")
    async def own_timeout() -> None:
        raise TimeoutError("a driver gave up")

    return app


def test_a_slow_request_is_cancelled_and_answered_504(
    client: TestClient, cleanups: list[str]
) -> None:
    started = time.monotonic()

    response = client.get("/slow")

    assert time.monotonic() - started < 2
    assert response.status_code == 504
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == f"The request took longer than {TIMEOUT:g} seconds."
    assert "X-Request-ID" in response.headers
    assert cleanups == ["slow"]  # the handler was cancelled, and its cleanup ran


def test_a_started_response_is_not_cut_off(client: TestClient) -> None:
    response = client.get("/stream")

    assert response.status_code == 200
    assert response.content == b"abc"


def test_a_timeout_raised_by_the_handler_is_an_error_not_a_504(app: FastAPI) -> None:
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/own-timeout")

    assert response.status_code == 500


def test_fast_requests_are_untouched(client: TestClient) -> None:
    assert client.get("/api/v1/health").status_code == 200
