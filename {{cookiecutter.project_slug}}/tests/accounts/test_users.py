"""The users' routes: one's own account and password, and what administrators do."""

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


def test_a_user_changes_their_password_and_every_login_ends(anonymous: TestClient) -> None:
    add_user(anonymous)
    tokens = login(anonymous).json()
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}

    response = anonymous.put(f"{ME}/password", json=change, headers=bearer(tokens["access_token"]))

    assert response.status_code == 204
    assert_refused(refresh(anonymous, tokens["refresh_token"]))
    assert_refused(login(anonymous))
    assert login(anonymous, password=NEW_PASSWORD).status_code == 200


def test_a_password_change_needs_the_current_password_and_a_strong_new_one(
    anonymous: TestClient,
) -> None:
    add_user(anonymous)
    headers = bearer(login(anonymous).json()["access_token"])

    wrong = {"current_password": WRONG_PASSWORD, "new_password": NEW_PASSWORD}
    weak = {"current_password": PASSWORD, "new_password": "aaaaaaaaaaaaaaaa"}
    assert anonymous.put(f"{ME}/password", json=wrong, headers=headers).status_code == 403
    response = anonymous.put(f"{ME}/password", json=weak, headers=headers)
    assert response.status_code == 400
    assert "distinct characters" in response.json()["detail"]


def test_administrators_list_and_disable_users(anonymous: TestClient) -> None:
    alice = add_user(anonymous)
    add_user(anonymous, "bob")
    alices_login = login(anonymous).json()["refresh_token"]

    listed = anonymous.get("/api/v1/users", headers=ADMIN).json()
    disabled = anonymous.patch(f"/api/v1/users/{alice}", json={"disabled": True}, headers=ADMIN)

    assert [user["username"] for user in listed["items"]] == ["alice", "bob"]
    assert "password_hash" not in listed["items"][0]
    assert disabled.json()["disabled"] is True
    assert_refused(refresh(anonymous, alices_login))
    assert_refused(login(anonymous))


def test_managing_users_needs_the_admin_scope(anonymous: TestClient) -> None:
    writer = bearer(make_token(scope="items:write"))

    assert anonymous.get("/api/v1/users").status_code == 401
    assert anonymous.get("/api/v1/users", headers=writer).status_code == 403
    body = {"username": "eve", "password": PASSWORD}
    assert anonymous.post("/api/v1/users", json=body, headers=writer).status_code == 403


def test_a_taken_username_and_a_weak_password_are_refused(anonymous: TestClient) -> None:
    add_user(anonymous, "alice")
    taken = {"username": "ALICE", "password": PASSWORD}
    short = {"username": "carol", "password": WEAK_PASSWORD}

    assert anonymous.post("/api/v1/users", json=taken, headers=ADMIN).status_code == 409
    response = anonymous.post("/api/v1/users", json=short, headers=ADMIN)
    assert response.status_code == 400
    assert response.json()["detail"] == "The password must be at least 12 characters."


def test_a_bcrypt_hash_is_verified_and_replaced_by_argon2(
    anonymous: TestClient, database_url: URL
) -> None:
    add_user(anonymous)
    imported = BcryptHasher().hash(PASSWORD)
    run_sql(database_url, f"UPDATE users SET password_hash = '{imported}'")  # noqa: S608

    assert login(anonymous).status_code == 200

    stored = run_sql(database_url, "SELECT password_hash FROM users")
    assert stored.startswith("$argon2id$")
    assert login(anonymous).status_code == 200


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
