"""Accounts for the tests: the session's signing keys (``plugins/accounts.py`` configures the
service with them), tokens signed with them, and users made in the test database."""

import asyncio
import time
from typing import Any

import httpx2
import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import URL, text
from sqlalchemy.ext.asyncio import create_async_engine

from {{ cookiecutter.package_name }}.accounts.keys import SigningKey
from {{ cookiecutter.package_name }}.auth.bearer.key_files import private_pem
from {{ cookiecutter.package_name }}.config import Settings

KEY = SigningKey.of(Ed25519PrivateKey.generate())
KEY_PEM = private_pem(KEY.private_key).decode("ascii")
# The service's name: the issuer and audience of its tokens unless ACCOUNTS_ISSUER/AUDIENCE.
SERVICE = Settings().service_name
VARIABLES = ("ACCOUNTS_SIGNING_KEYS_FILE", "ACCOUNTS_ISSUER", "ACCOUNTS_AUDIENCE")
ADMIN_SCOPE = "users:admin"
# The tests' users' (none of them a secret).
PASSWORD = "correct horse battery staple"  # noqa: S105
WRONG_PASSWORD = "not the password at all"  # noqa: S105
WEAK_PASSWORD = "short"  # noqa: S105


def make_token(key: SigningKey = KEY, **claims: Any) -> str:
    """A token as the service issues it, for ``claims`` (a subject, an hour's life)."""
    now = int(time.time())
    claims = {"iss": SERVICE, "aud": SERVICE, "sub": "1", "iat": now, "exp": now + 3600, **claims}
    payload = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode(payload, key.private_key, algorithm="EdDSA", headers={"kid": key.key_id})


ADMIN = {"Authorization": f"Bearer {make_token(sub='0', scope=ADMIN_SCOPE)}"}


def writer_headers() -> dict[str, str]:
    token = make_token(sub="0", scope="items:write registry:write", exp=int(time.time()) + 86_400)
    return {"Authorization": f"Bearer {token}"}


TOKEN = "/api/v1/auth/token"  # noqa: S105 (a path)
ME = "/api/v1/users/me"
REFUSED = {"status": 400, "error": "invalid_grant"}


def add_user(client: TestClient, username: str = "alice", scopes: str = "items:write") -> int:
    body = {"username": username, "password": PASSWORD, "scopes": scopes.split()}
    response = client.post("/api/v1/users", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    user_id: int = response.json()["id"]
    return user_id


def login(
    client: TestClient, username: str = "alice", password: str = PASSWORD, **form: str
) -> httpx2.Response:
    data = {"grant_type": "password", "username": username, "password": password, **form}
    return client.post(TOKEN, data=data)


def refresh(client: TestClient, token: str) -> httpx2.Response:
    return client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": token})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_refused(response: httpx2.Response) -> None:
    """The one answer to every refused grant: nothing says why."""
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert {key: body[key] for key in REFUSED} == REFUSED
    assert body["detail"] == "The credentials or the grant are not valid."


def run_sql(url: URL, statement: str) -> Any:
    """Run one statement in the test database; a query's first value."""

    async def execute() -> Any:
        engine = create_async_engine(url)
        try:
            async with engine.begin() as connection:
                result = await connection.execute(text(statement))
                return result.scalar() if result.returns_rows else None
        finally:
            await engine.dispose()

    return asyncio.run(execute())
