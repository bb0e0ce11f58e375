"""The first run: a database created and not migrated is a failing readiness check naming the
reason and a 503 for requests, never a 500 or a green probe; the log says in one line what to
run, and the service recovers without a restart once it is done. (A PostgreSQL database not
created yet: test_database_not_created.py.)"""

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import URL

from my_service.config import Environment, Settings
from my_service.db import schema
from my_service.logging import configure_logging

from support import LogCapture
from support.credentials import HEADERS
from support.plugins.database import (
    app_on,
    assert_database_unavailable,
    check_readiness,
    new_database,
    settings_for,
)
from support.waiting import eventually

ITEMS = "/api/v1/items"


@pytest.fixture
def unmigrated_database(tmp_path: Path) -> Iterator[URL]:
    """A database that exists with no tables in it (for SQLite, a file not written yet)."""
    with new_database(tmp_path) as url:
        yield url


def test_a_database_not_migrated_is_not_ready_then_migrating_fixes_it(
    unmigrated_database: URL,
) -> None:
    with TestClient(app_on(unmigrated_database), headers=HEADERS) as client:
        logs = LogCapture()  # from here on: the app configured its logging as it started
        configure_logging(Settings(environment=Environment.TEST, log_format="json"), logs.stream)
        ready = client.get("/health/ready")
        assert ready.status_code == 503
        assert ready.json()["checks"]["database"] == "not migrated"
        not_migrated = "The database is not ready: its schema is not migrated."
        assert_database_unavailable(client.get(ITEMS), not_migrated)
        assert_database_unavailable(client.post(ITEMS, json={"name": "a"}), not_migrated)
        client.get("/health/ready")  # failing still: logged once, not on every probe

        schema.upgrade(settings_for(unmigrated_database))

        # Each feature's own retry (a registry's stored registrations, say) finds it in time.
        eventually(lambda: client.get("/health/ready").status_code == 200)
        assert client.post(ITEMS, json={"name": "a"}).status_code == 201

    readiness = [r["message"] for r in logs.records if r["logger"].endswith(".readiness")]
    said = [message for message in readiness if "database" in message]
    migrate = "python -m my_service migrate (make migrate)"
    assert said == [
        f"Not ready: database not migrated: migrate it: {migrate}",
        "Ready again: database",
    ]


def test_a_schema_at_the_codes_heads_is_ready(database_url: URL) -> None:
    asyncio.run(check_readiness(database_url))  # migrated by the session's fixture: passes


@pytest.mark.parametrize(
    ("stored", "behind"),
    [
        (frozenset(), True),  # never migrated
        (frozenset({"a"}), True),  # a revision this code builds on
        (frozenset({"b"}), False),  # the code's head
        (frozenset({"c"}), False),  # newer code migrated it (a rolling deploy)
    ],
)
def test_a_schema_is_behind_only_at_revisions_older_than_the_codes(
    monkeypatch: pytest.MonkeyPatch, stored: frozenset[str], behind: bool
) -> None:
    monkeypatch.setattr(schema, "shipped_heads", lambda: frozenset({"b"}))
    monkeypatch.setattr(schema, "shipped_revisions", lambda: frozenset({"a", "b"}))

    assert schema.is_behind(stored) is behind
