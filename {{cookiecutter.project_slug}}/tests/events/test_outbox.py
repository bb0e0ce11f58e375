"""Events through the outbox: kept with the change or not at all, and delivered however long the
broker is away or however the service stopped."""

import asyncio
import json
import os
import re
import subprocess
import time

import httpx2
import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy import URL, text
from sqlalchemy.ext.asyncio import create_async_engine

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.db.session import SessionDep
from {{ cookiecutter.package_name }}.errors import ConflictError
from {{ cookiecutter.package_name }}.events.feature import events_for
from {{ cookiecutter.package_name }}.main import create_app

from support.broker import broker_away, unreachable
from support.credentials import HEADERS
from support.events import EventBroker
from support.servers import SERVICE_COMMAND, free_port, running_service, wait_until_live
from support.waiting import eventually

ITEMS = "/api/v1/items"


def outbox(url: URL) -> list[tuple[str, bool]]:
    """Each outbox row's type and whether it was sent, in order."""

    async def read() -> list[tuple[str, bool]]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                rows = await connection.execute(
                    text("SELECT type, sent_at IS NOT NULL FROM event_outbox ORDER BY seq")
                )
                return [(row[0], bool(row[1])) for row in rows]
        finally:
            await engine.dispose()

    return asyncio.run(read())


def depth(client: TestClient) -> float:
    found = re.search(r"^events_outbox_depth (\S+)$", client.get("/metrics").text, re.MULTILINE)
    assert found, "no outbox depth on /metrics"
    return float(found.group(1))


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    """The service, plus routes that record an event in the request's transaction."""
    app = create_app(settings)

    @app.post("/record")
    async def record(request: Request, session: SessionDep) -> None:
        await events_for(request, session).record("test.recorded", "1", {})

    @app.post("/record-then-fail")
    async def record_then_fail(request: Request, session: SessionDep) -> None:
        await events_for(request, session).record("test.rolled-back", "1", {})
        raise ConflictError("Refused after recording.")

    return app


def test_an_event_is_kept_with_its_change_or_not_at_all(
    client: TestClient, database_url: URL, broker: EventBroker, events_topic: str
) -> None:
    assert client.post("/record-then-fail").status_code == 409
    assert client.post("/record").status_code == 200

    records = broker.consumed(events_topic, 1)
    eventually(lambda: outbox(database_url) == [("test.recorded", True)])

    assert json.loads(records[0].payload)["type"] == "test.recorded"


def test_with_the_broker_away_writes_stay_fast_and_the_outbox_drains_when_it_is_back(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, broker: EventBroker, events_topic: str
) -> None:
    monkeypatch.setenv("EVENTS_PUBLISH_TIMEOUT", "1")
    with broker_away(broker) as away:
        for name, value in away.environment.items():
            monkeypatch.setenv(name, value)
        with TestClient(create_app(settings), headers=HEADERS) as client:
            slowest = 0.0
            ids = []
            for n in range(20):
                started = time.monotonic()
                created = client.post(ITEMS, json={"name": f"item {n}"})
                slowest = max(slowest, time.monotonic() - started)
                assert created.status_code == 201
                ids.append(str(created.json()["id"]))
            eventually(lambda: depth(client) == 20)

            records = away.back().consumed(events_topic, 20, seconds=90)
            eventually(lambda: depth(client) == 0, seconds=30)

    assert slowest < 0.5  # the requests never waited for the broker
    assert sorted(record.subject for record in records) == sorted(ids)


def test_an_event_committed_before_the_service_was_killed_is_delivered_after_restart(
    database_url: URL, broker: EventBroker, events_topic: str
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    environment = {
        **os.environ,
        "ENVIRONMENT": "production",
        "PORT": str(port),
        **unreachable(),  # never published
    }
    process = subprocess.Popen(SERVICE_COMMAND, env=environment, stdout=subprocess.DEVNULL)  # noqa: S603
    try:
        wait_until_live(url, process)
        created = httpx2.post(f"{url}{ITEMS}", json={"name": "kept"}, headers=HEADERS)
        process.kill()  # SIGKILL: no shutdown, no flush
    finally:
        process.kill()
        process.wait()
    assert created.status_code == 201
    assert outbox(database_url) == [("item.created", False)]

    with running_service({}):  # the same database, the broker back
        records = broker.consumed(events_topic, 1)
        eventually(lambda: outbox(database_url) == [("item.created", True)])

    assert json.loads(records[0].payload)["data"]["name"] == "kept"
