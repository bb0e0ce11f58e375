"""The first run on PostgreSQL: a database not created yet is a failing readiness check and a
503 for requests, never a 500, and the log says how to create it."""

import asyncio
import os
import subprocess

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import URL

from {{ cookiecutter.package_name }}.readiness import NotReadyError

from support.credentials import HEADERS
from support.plugins.database import app_on, assert_database_unavailable, check_readiness
from support.servers import SERVICE_COMMAND

ITEMS = "/api/v1/items"


@pytest.fixture
def missing_database(database_url: URL) -> URL:
    """A database on the tests' server that nobody creates."""
    return database_url.set(database=f"{database_url.database}_never_created")


def test_a_database_not_created_is_not_ready_and_a_503(missing_database: URL) -> None:
    with TestClient(app_on(missing_database), headers=HEADERS) as client:
        ready = client.get("/health/ready")
        assert ready.status_code == 503
        assert ready.json()["checks"]["database"] == "does not exist"
        detail = "The database is not ready: it does not exist."
        assert_database_unavailable(client.get(ITEMS), detail)
        assert_database_unavailable(client.post(ITEMS, json={"name": "a"}), detail)


def test_the_log_says_how_to_create_it(missing_database: URL) -> None:
    with pytest.raises(NotReadyError) as raised:
        asyncio.run(check_readiness(missing_database))

    url = missing_database
    assert raised.value.remedy == (
        f"create it (createdb --host {url.host} --port {url.port or 5432} "
        f"--username {url.username} {url.database}), then migrate it: "
        "python -m {{ cookiecutter.package_name }} migrate (make migrate)"
    )


def test_migrate_says_how_to_create_it_in_one_line(missing_database: URL) -> None:
    env = {**os.environ, "DATABASE_URL": missing_database.render_as_string(hide_password=False)}

    result = subprocess.run(  # noqa: S603
        [*SERVICE_COMMAND, "migrate"], env=env, capture_output=True, text=True, check=False
    )

    assert result.returncode == 1
    assert result.stderr.startswith("Cannot migrate the database (does not exist): create it (")
    assert "Traceback" not in result.stderr
