"""The users' routes: one's own account and password, and what administrators do."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pwdlib.hashers.bcrypt import BcryptHasher
from sqlalchemy.engine import URL

from {{ cookiecutter.package_name }}.accounts.settings import AccountsSettings
from {{ cookiecutter.package_name }}.config import Environment, Settings
from {{ cookiecutter.package_name }}.features import enabled_features
from {{ cookiecutter.package_name }}.main import create_app

from support.accounts import (
    ADMIN,
    ME,
    PASSWORD,
    WEAK_PASSWORD,
    WRONG_PASSWORD,
    add_user,
    assert_refused,
    bearer,
    login,
    make_token,
    refresh,
    run_sql,
)

NEW_PASSWORD = "a different, longer passphrase"  # noqa: S105 (the tests' users')


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(environment=Environment.TEST))) as client:
        yield client


def test_a_user_changes_their_password_and_every_login_ends(client: TestClient) -> None:
    add_user(client)
    tokens = login(client).json()
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}

    response = client.put(f"{ME}/password", json=change, headers=bearer(tokens["access_token"]))

    assert response.status_code == 204
    assert_refused(refresh(client, tokens["refresh_token"]))
    assert_refused(login(client))
    assert login(client, password=NEW_PASSWORD).status_code == 200


def test_a_password_change_needs_the_current_password_and_a_strong_new_one(
    client: TestClient,
) -> None:
    add_user(client)
    headers = bearer(login(client).json()["access_token"])

    wrong = {"current_password": WRONG_PASSWORD, "new_password": NEW_PASSWORD}
    weak = {"current_password": PASSWORD, "new_password": "aaaaaaaaaaaaaaaa"}
    assert client.put(f"{ME}/password", json=wrong, headers=headers).status_code == 403
    response = client.put(f"{ME}/password", json=weak, headers=headers)
    assert response.status_code == 400
    assert "distinct characters" in response.json()["detail"]


def test_administrators_list_and_disable_users(client: TestClient) -> None:
    alice = add_user(client)
    add_user(client, "bob")
    alices_login = login(client).json()["refresh_token"]

    listed = client.get("/api/v1/users", headers=ADMIN).json()
    disabled = client.patch(f"/api/v1/users/{alice}", json={"disabled": True}, headers=ADMIN)

    assert [user["username"] for user in listed["items"]] == ["alice", "bob"]
    assert "password_hash" not in listed["items"][0]
    assert disabled.json()["disabled"] is True
    assert_refused(refresh(client, alices_login))
    assert_refused(login(client))


def test_managing_users_needs_the_admin_scope(client: TestClient) -> None:
    writer = bearer(make_token(scope="items:write"))

    assert client.get("/api/v1/users").status_code == 401
    assert client.get("/api/v1/users", headers=writer).status_code == 403
    body = {"username": "eve", "password": PASSWORD}
    assert client.post("/api/v1/users", json=body, headers=writer).status_code == 403


def test_a_taken_username_and_a_weak_password_are_refused(client: TestClient) -> None:
    add_user(client, "alice")
    taken = {"username": "ALICE", "password": PASSWORD}
    short = {"username": "carol", "password": WEAK_PASSWORD}

    assert client.post("/api/v1/users", json=taken, headers=ADMIN).status_code == 409
    response = client.post("/api/v1/users", json=short, headers=ADMIN)
    assert response.status_code == 400
    assert response.json()["detail"] == "The password must be at least 12 characters."


def test_a_bcrypt_hash_is_verified_and_replaced_by_argon2(
    client: TestClient, database_url: URL
) -> None:
    add_user(client)
    imported = BcryptHasher().hash(PASSWORD)
    run_sql(database_url, f"UPDATE users SET password_hash = '{imported}'")  # noqa: S608

    assert login(client).status_code == 200

    stored = run_sql(database_url, "SELECT password_hash FROM users")
    assert stored.startswith("$argon2id$")
    assert login(client).status_code == 200


def test_registration_is_off_unless_enabled(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(environment=Environment.TEST)
    body = {"username": "dave", "password": PASSWORD}
    with TestClient(create_app(settings)) as closed:
        assert closed.post("/api/v1/users/register", json=body).status_code in {404, 405}

    monkeypatch.setenv("ACCOUNTS_REGISTRATION", "true")
    monkeypatch.setenv("ACCOUNTS_REGISTRATION_SCOPES", "items:read")
    assert AccountsSettings().registration
    with TestClient(create_app(settings, enabled_features(settings))) as open_:
        created = open_.post("/api/v1/users/register", json=body)
        again = open_.post("/api/v1/users/register", json={**body, "username": "DAVE"})

        assert created.status_code == 201
        assert created.json()["scopes"] == ["items:read"]
        assert again.status_code == 409
        assert again.json()["detail"] == "That username cannot be used."
        assert login(open_, "dave").status_code == 200
