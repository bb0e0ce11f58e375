"""The token endpoint over real HTTP requests and the test database: logging in, refreshing
with rotation, reuse detection, logging out, and every refusal looking the same."""

import statistics
import time
from types import SimpleNamespace

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.accounts import login_limits
from {{ cookiecutter.package_name }}.accounts.keys import SigningKey
from {{ cookiecutter.package_name }}.config import Environment, Settings
from {{ cookiecutter.package_name }}.main import create_app

from support.accounts import (
    ADMIN,
    KEY,
    ME,
    SERVICE,
    TOKEN,
    WRONG_PASSWORD,
    add_user,
    assert_refused,
    bearer,
    login,
    make_token,
    refresh,
)
from support.auth import failures


def test_a_login_answers_tokens_that_open_the_users_routes(anonymous: TestClient) -> None:
    user_id = add_user(anonymous, "Alice@Example.com")

    response = login(anonymous, "alice@example.COM")

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    tokens = response.json()
    assert tokens["token_type"] == "Bearer"  # noqa: S105
    assert tokens["expires_in"] == 900
    assert tokens["scope"] == "items:write"
    me = anonymous.get(ME, headers=bearer(tokens["access_token"]))
    assert me.status_code == 200
    assert me.json()["id"] == user_id
    assert me.json()["username"] == "alice@example.com"


def test_the_access_token_carries_the_claims_a_verifier_needs(anonymous: TestClient) -> None:
    add_user(anonymous)
    token = login(anonymous).json()["access_token"]

    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, KEY.public_key, algorithms=["EdDSA"], audience=SERVICE)
    assert header == {"alg": "EdDSA", "kid": KEY.key_id, "typ": "JWT"}
    assert set(claims) == {"iss", "aud", "sub", "scope", "exp", "iat", "jti"}
    assert claims["exp"] - claims["iat"] == 900


def test_a_login_may_ask_for_fewer_scopes(anonymous: TestClient) -> None:
    add_user(anonymous, scopes="items:write reports:read")

    tokens = login(anonymous, scope="reports:read admin:everything").json()

    assert tokens["scope"] == "reports:read"
    assert refresh(anonymous, tokens["refresh_token"]).json()["scope"] == "reports:read"


def test_a_refresh_rotates_the_refresh_token(anonymous: TestClient) -> None:
    add_user(anonymous)
    first = login(anonymous).json()

    second = refresh(anonymous, first["refresh_token"])

    assert second.status_code == 200
    assert second.json()["refresh_token"] != first["refresh_token"]
    assert anonymous.get(ME, headers=bearer(second.json()["access_token"])).status_code == 200
    assert refresh(anonymous, second.json()["refresh_token"]).status_code == 200


def test_a_reused_refresh_token_revokes_its_whole_family(anonymous: TestClient) -> None:
    add_user(anonymous)
    first = login(anonymous).json()["refresh_token"]
    other_login = login(anonymous).json()["refresh_token"]
    second = refresh(anonymous, first).json()["refresh_token"]
    reused_before = failures("refresh_reused")

    assert_refused(refresh(anonymous, first))  # the thief, or the user, replays the old one

    assert failures("refresh_reused") == reused_before + 1
    assert_refused(refresh(anonymous, second))  # the newest of the family is refused too
    assert refresh(anonymous, other_login).status_code == 200  # another login is not


def test_a_logout_revokes_the_login(anonymous: TestClient) -> None:
    add_user(anonymous)
    token = login(anonymous).json()["refresh_token"]

    logout = anonymous.post("/api/v1/auth/logout", data={"refresh_token": token})

    assert logout.status_code == 204
    assert_refused(refresh(anonymous, token))
    assert (
        anonymous.post("/api/v1/auth/logout", data={"refresh_token": "nothing"}).status_code == 204
    )


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("wrong password", "wrong_password"),
        ("unknown user", "unknown_user"),
        ("disabled user", "disabled"),
        ("over-long password", "wrong_password"),
        ("unknown refresh token", "refresh_unknown"),
    ],
)
def test_refusals_look_the_same_and_are_counted_by_reason(
    anonymous: TestClient, case: str, reason: str
) -> None:
    user_id = add_user(anonymous)
    counted = failures(reason)

    if case == "wrong password":
        response = login(anonymous, password=WRONG_PASSWORD)
    elif case == "unknown user":
        response = login(anonymous, username="mallory")
    elif case == "disabled user":
        anonymous.patch(f"/api/v1/users/{user_id}", json={"disabled": True}, headers=ADMIN)
        response = login(anonymous)
    elif case == "over-long password":
        response = login(anonymous, password="x" * 4000)
    else:
        response = refresh(anonymous, "a-token-never-issued")

    assert_refused(response)
    assert failures(reason) == counted + 1


def test_an_unknown_user_takes_as_long_as_a_wrong_password(anonymous: TestClient) -> None:
    add_user(anonymous)

    def seconds(username: str) -> float:
        started = time.perf_counter()
        assert_refused(login(anonymous, username=username, password=WRONG_PASSWORD))
        return time.perf_counter() - started

    # In turns, so that a busy moment of the machine falls on both alike.
    wrong: list[float] = []
    unknown: list[float] = []
    for n in range(5):
        wrong.append(seconds("alice"))
        unknown.append(seconds(f"nobody{n}"))

    # Both check one Argon2 hash; without the dummy hash the unknown user would answer in a
    # few per cent of the time.
    assert 1 / 3 < statistics.median(unknown) / statistics.median(wrong) < 3


@pytest.fixture
def mid_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    """The login limits' clock stopped in the middle of a minute: failures counted in a test
    never fall into two of their windows. In the next hour, so that what a shared store keeps
    of them expires after the test, not before."""
    stopped = (time.time() // 3600 + 1) * 3600 + 30.0  # 30 s into an hour and a minute
    monkeypatch.setattr(login_limits, "time", SimpleNamespace(time=lambda: stopped))


@pytest.mark.usefixtures("mid_minute")
def test_failed_logins_are_limited_per_username(anonymous: TestClient) -> None:
    add_user(anonymous)
    for _ in range(5):
        assert_refused(login(anonymous, password=WRONG_PASSWORD))

    limited = login(anonymous)  # the right password, too late

    assert limited.status_code == 429
    assert limited.headers["content-type"] == "application/problem+json"
    assert limited.headers["retry-after"] == "30"  # the minute's window ends
    assert login(anonymous, username="bob").status_code != 429  # another username is not


@pytest.mark.usefixtures("mid_minute")
def test_failed_logins_are_limited_per_client_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCOUNTS_LOGIN_LIMITS_PER_ADDRESS", "3/minute")
    with TestClient(create_app(Settings(environment=Environment.TEST))) as anonymous:
        add_user(anonymous)
        for name in ("mallory", "trudy", "eve"):  # a different username each time
            assert_refused(login(anonymous, username=name, password=WRONG_PASSWORD))

        limited = login(anonymous)

        assert limited.status_code == 429
        assert limited.headers["retry-after"] == "30"


def test_grants_and_requests_the_endpoint_does_not_know(anonymous: TestClient) -> None:
    unsupported = anonymous.post(TOKEN, data={"grant_type": "client_credentials"})
    incomplete = anonymous.post(TOKEN, data={"grant_type": "password", "username": "alice"})

    assert unsupported.status_code == 400
    assert unsupported.json()["error"] == "unsupported_grant_type"
    assert incomplete.status_code == 400
    assert incomplete.json()["error"] == "invalid_request"


@pytest.mark.parametrize(
    "token",
    [
        make_token(exp=int(time.time()) - 120),
        make_token(aud="another-service"),
        make_token(iss="someone-else"),
    ],
    ids=["expired", "another audience", "another issuer"],
)
def test_access_tokens_the_service_would_not_issue_are_refused(
    anonymous: TestClient, token: str
) -> None:
    response = anonymous.get(ME, headers=bearer(token))

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


def test_a_token_signed_by_another_key_is_refused(anonymous: TestClient) -> None:
    stranger = SigningKey.of(Ed25519PrivateKey.generate())
    forged = SigningKey(stranger.private_key, KEY.key_id, stranger.public_jwk)  # our kid

    assert anonymous.get(ME, headers=bearer(make_token(stranger))).status_code == 401
    assert anonymous.get(ME, headers=bearer(make_token(forged))).status_code == 401
