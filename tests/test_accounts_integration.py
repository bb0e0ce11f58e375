"""Accounts (``auth=password``) rendered on SQLite: its own checks pass (the matrix runs them on
PostgreSQL), and two rendered services on loopback sockets work together: one with accounts
issues tokens, one that verifies an identity provider's tokens (``auth=jwt``) accepts them
through the first one's JWK set, with no code of its own."""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from bench.servers import Server

from .environments import check_in_shared_environment, clean_environment, installed
from .template import bake

PYTHON = "3.12"
PASSWORD = "correct horse battery staple"
ISSUER = "accounts.example"


def rendered(tmp_path: Path, name: str, answers: dict[str, Any], **env: str) -> Server:
    """The project rendered with ``answers`` and installed, to serve from its own folder."""
    common = {"dependency_manager": "uv", "init_git": False, "project_name": name}
    project = bake(tmp_path / name, {**common, **answers})
    python, _ = installed(project, PYTHON, tmp_path / f"{name}-venv")
    package = json.loads((project / ".cookiecutter.json").read_text())["cookiecutter"]
    command = [str(python), "-m", package["package_name"]]
    return Server(name, command, {"ENVIRONMENT": "production", **env}, cwd=project)


def command(server: Server, *arguments: str, stdin: str = "", **env: str) -> str:
    result = subprocess.run(
        [*server.command, *arguments],
        input=stdin,
        cwd=server.cwd,
        env=clean_environment(**{**server.env, **env}),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def post(
    url: str, *, form: dict[str, str] | None = None, body: Any = None, token: str = ""
) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    else:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as refused:
        return refused.code, json.load(refused)


def test_accounts_on_sqlite_pass_their_own_checks(tmp_path: Path) -> None:
    answers = {"auth": "password", "database": "sqlite", "init_git": False}
    project = bake(tmp_path / "render", answers)

    check_in_shared_environment(project, PYTHON, tmp_path / "venv")


def test_a_service_accepts_the_tokens_another_issues_through_its_jwks(tmp_path: Path) -> None:
    issuer = rendered(
        tmp_path,
        "accounts",
        {"auth": "password", "database": "sqlite"},
        ACCOUNTS_ISSUER=ISSUER,
        ACCOUNTS_AUDIENCE="catalog",
    )
    # Made on a developer's machine, then set as the production service's secret.
    key = command(issuer, "signing-key", ENVIRONMENT="development")
    issuer.env = {**issuer.env, "ACCOUNTS_SIGNING_KEYS": key}
    command(issuer, "migrate")
    scopes = "items:write"
    command(issuer, "user", "create", "--username", "ada", "--scopes", scopes, stdin=PASSWORD)
    catalog = rendered(
        tmp_path,
        "catalog",
        {"auth": "jwt", "database": "none"},
        AUTH_JWKS_URL=f"{issuer.url}/.well-known/jwks.json",
        AUTH_ISSUER=ISSUER,
        AUTH_AUDIENCE="catalog",
        AUTH_ALGORITHMS="EdDSA",
    )
    try:
        issuer.start()
        catalog.start()
        token_url = f"{issuer.url}/api/v1/auth/token"
        login = {"grant_type": "password", "username": "ada", "password": PASSWORD}
        status, tokens = post(token_url, form=login)
        assert status == 200, tokens

        item = {"name": "Widget"}
        assert post(f"{catalog.url}/api/v1/items", body=item)[0] == 401
        created, body = post(f"{catalog.url}/api/v1/items", body=item, token=tokens["access_token"])
        assert created == 201, body

        # A refreshed token is accepted too; the spent refresh token, replayed, ends the login.
        refresh = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
        status, renewed = post(token_url, form=refresh)
        assert status == 200, renewed
        again = {"name": "Gadget"}
        assert (
            post(f"{catalog.url}/api/v1/items", body=again, token=renewed["access_token"])[0] == 201
        )
        assert post(token_url, form=refresh)[0] == 400
        replayed = {"grant_type": "refresh_token", "refresh_token": renewed["refresh_token"]}
        assert post(token_url, form=replayed)[0] == 400

        # A service of another audience does not take the catalog's tokens.
        billing = Server("billing", catalog.command, {**catalog.env, "AUTH_AUDIENCE": "billing"})
        billing.cwd = catalog.cwd
        billing.start()
        try:
            gizmo = {"name": "Gizmo"}
            assert (
                post(f"{billing.url}/api/v1/items", body=gizmo, token=renewed["access_token"])[0]
                == 401
            )
        finally:
            billing.stop()
    finally:
        catalog.stop()
        issuer.stop()
