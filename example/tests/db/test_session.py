import asyncio
import time
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from sqlalchemy import select

from my_service.config import Settings
from my_service.db.session import SessionDep
from my_service.errors import ConflictError
from my_service.main import create_app
from my_service.models.items import ItemRecord

from support.credentials import HEADERS
from support.waiting import eventually

ITEMS = "/api/v1/items"
TIMEOUT = 0.3


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    """The service, plus routes that work through the request's session."""
    app = create_app(settings.model_copy(update={"request_timeout": TIMEOUT}))

    @app.post("/write")
    async def write(session: SessionDep, name: str) -> None:
        session.add(ItemRecord(name=name))

    @app.post("/write-then-fail")
    async def write_then_fail(session: SessionDep) -> None:
        session.add(ItemRecord(name="written"))
        await session.flush()
        raise ConflictError("Refused after writing.")

    @app.post("/write-then-hang")
    async def write_then_hang(session: SessionDep) -> None:
        session.add(ItemRecord(name="written"))
        await session.flush()
        await session.scalar(select(ItemRecord.id))  # holding a connection
        await asyncio.sleep(TIMEOUT * 10)

    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False, headers=HEADERS) as client:
        yield client


def stored_names(client: TestClient) -> list[str]:
    return [item["name"] for item in client.get(ITEMS).json()["items"]]


def test_a_successful_request_is_committed(client: TestClient) -> None:
    assert client.post("/write", params={"name": "written"}).status_code == 200

    assert stored_names(client) == ["written"]


def test_a_failed_request_is_rolled_back(client: TestClient) -> None:
    response = client.post("/write-then-fail")

    assert response.status_code == 409
    assert stored_names(client) == []


def test_a_failed_commit_is_the_response(client: TestClient) -> None:
    client.post(ITEMS, json={"name": "taken"})

    # Nothing is written until the commit, which runs after the handler has returned.
    response = client.post("/write", params={"name": "taken"})

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert stored_names(client) == ["taken"]


def in_use() -> float:
    return REGISTRY.get_sample_value("db_pool_connections_in_use") or 0.0


def test_a_timed_out_request_is_rolled_back_and_returns_its_connection(
    client: TestClient,
) -> None:
    # Background users of the pool (an outbox relay, say) hold a connection now and then: the
    # fewest in use over a moment is what the request must leave.
    readings = []
    for _ in range(10):
        readings.append(in_use())
        time.sleep(0.02)
    before = min(readings)

    response = client.post("/write-then-hang")

    assert response.status_code == 504
    assert stored_names(client) == []
    eventually(lambda: in_use() <= before)  # returned to the pool
