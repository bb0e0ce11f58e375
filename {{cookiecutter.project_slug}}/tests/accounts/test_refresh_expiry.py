"""Refresh tokens past their idle or absolute end, in the database's table."""

from fastapi.testclient import TestClient
from sqlalchemy import URL

from support.accounts import add_user, assert_refused, login, refresh, run_sql


def test_an_expired_refresh_token_is_refused(anonymous: TestClient, database_url: URL) -> None:
    add_user(anonymous)
    idle = login(anonymous).json()["refresh_token"]
    ended = login(anonymous).json()["refresh_token"]
    run_sql(database_url, "UPDATE refresh_tokens SET expires_at = '2000-01-01 00:00:00'")
    assert_refused(refresh(anonymous, idle))
    run_sql(
        database_url,
        "UPDATE refresh_tokens SET expires_at = '2999-01-01 00:00:00', "
        "family_expires_at = '2000-01-01 00:00:00'",
    )
    assert_refused(refresh(anonymous, ended))


def test_ended_logins_are_forgotten_at_the_next_login(
    anonymous: TestClient, database_url: URL
) -> None:
    add_user(anonymous)
    login(anonymous)
    run_sql(database_url, "UPDATE refresh_tokens SET family_expires_at = '2000-01-01 00:00:00'")

    login(anonymous)

    assert run_sql(database_url, "SELECT count(*) FROM refresh_tokens") == 1
