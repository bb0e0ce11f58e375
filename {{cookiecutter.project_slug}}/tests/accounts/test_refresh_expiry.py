"""Refresh tokens past their idle or absolute end, in the database's table."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import URL

from {{ cookiecutter.package_name }}.config import Environment, Settings
from {{ cookiecutter.package_name }}.main import create_app

from support.accounts import add_user, assert_refused, login, refresh, run_sql


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(environment=Environment.TEST))) as client:
        yield client


def test_an_expired_refresh_token_is_refused(client: TestClient, database_url: URL) -> None:
    add_user(client)
    idle = login(client).json()["refresh_token"]
    ended = login(client).json()["refresh_token"]
    run_sql(database_url, "UPDATE refresh_tokens SET expires_at = '2000-01-01 00:00:00'")
    assert_refused(refresh(client, idle))
    run_sql(
        database_url,
        "UPDATE refresh_tokens SET expires_at = '2999-01-01 00:00:00', "
        "family_expires_at = '2000-01-01 00:00:00'",
    )
    assert_refused(refresh(client, ended))


def test_ended_logins_are_forgotten_at_the_next_login(
    client: TestClient, database_url: URL
) -> None:
    add_user(client)
    login(client)
    run_sql(database_url, "UPDATE refresh_tokens SET family_expires_at = '2000-01-01 00:00:00'")

    login(client)

    assert run_sql(database_url, "SELECT count(*) FROM refresh_tokens") == 1
