"""The accounts scenario: a service rendered with ``auth=password`` (SQLite, 1 worker).

- logins per second: ``grant_type=password`` for one user, from a few clients at once. Bounded
  by Argon2id's cost by design (the parameters are reported beside the figure);
- refresh-token rotations per second: each client refreshes its own login's token again and
  again (a reused token would revoke the family, so each request carries the token the last
  answer gave);
- the same GET without credentials and with an access token the service issued, side by side
  in alternating rounds (verified tokens are cached, as with ``jwt``).

The key, the schema and the user are made with the service's own commands, as a user would.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from .load import alternating
from .servers import Server

ANSWERS = ("auth=password",)
PATH = "/api/v1/health"
TOKEN = "/api/v1/auth/token"
USERNAME = "bench"
PASSWORD = "correct horse battery staple"
# What the hashes cost: read from the rendered service itself, so the report says what it ran.
ARGON2 = (
    "from {package}.accounts.passwords import HASHERS; h = HASHERS[0]._hasher;"
    " print(f'Argon2id t={{h.time_cost}} m={{h.memory_cost // 1024}} MiB p={{h.parallelism}}')"
)


def command(
    python: Path, package: str, folder: Path, env: dict[str, str], *args: str, stdin: str = ""
) -> str:
    return subprocess.run(
        [str(python), "-m", package, *args],
        input=stdin,
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout


def accounts_server(
    python: Path, package: str, folder: Path, production: dict[str, str]
) -> tuple[Server, str]:
    """The service, its database migrated and its user created; and its hashing parameters."""
    folder.mkdir(parents=True, exist_ok=True)
    base = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'accounts.sqlite3'}"}
    key = command(python, package, folder, {**base, "ENVIRONMENT": "development"}, "signing-key")
    env = {**production, **base, "WORKERS": "1", "ACCESS_LOG": "true", "ACCOUNTS_SIGNING_KEYS": key}
    command(python, package, folder, {**base, **env}, "migrate")
    command(
        python,
        package,
        folder,
        {**base, **env},
        "user",
        "create",
        "--username",
        USERNAME,
        stdin=PASSWORD,
    )
    hashing = subprocess.run(
        [str(python), "-c", ARGON2.format(package=package)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    service = [str(python), "-m", package]
    server = Server("service with auth=password", service, env, cwd=folder, log=folder / "a.log")
    return server, hashing


def post_form(url: str, form: dict[str, str]) -> dict[str, Any]:
    data = urllib.parse.urlencode(form).encode()
    with urllib.request.urlopen(url, data=data, timeout=30) as answer:
        result: dict[str, Any] = json.load(answer)
        return result


def login(server: Server) -> dict[str, Any]:
    form = {"grant_type": "password", "username": USERNAME, "password": PASSWORD}
    return post_form(server.url + TOKEN, form)


def per_second(server: Server, seconds: float, clients: int, step: Any) -> dict[str, float]:
    """``step(state)`` from ``clients`` threads for ``seconds``: completed steps per second, and
    the server's CPU milliseconds per step."""
    done = [0] * clients
    failed: list[BaseException] = []
    deadline = time.perf_counter() + seconds

    def client(index: int) -> None:
        state: dict[str, Any] = {}
        try:
            while time.perf_counter() < deadline:
                step(state)
                done[index] += 1
        except BaseException as error:
            failed.append(error)

    cpu_before, started = server.cpu_seconds(), time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed, cpu = time.perf_counter() - started, server.cpu_seconds() - cpu_before
    if failed:
        raise RuntimeError(f"a client failed: {failed[0]!r}")
    total = sum(done)
    return {
        "per_second": round(total / elapsed, 1),
        "cpu_ms_per_operation": round(cpu * 1000 / max(total, 1), 2),
        "operations": total,
    }


def measure(
    server: Server, hashing: str, rounds: int, seconds: float, clients: int = 4
) -> dict[str, Any]:
    def log_in(state: dict[str, Any]) -> None:
        login(server)

    def rotate(state: dict[str, Any]) -> None:
        if "refresh_token" not in state:
            state["refresh_token"] = login(server)["refresh_token"]
        form = {"grant_type": "refresh_token", "refresh_token": state["refresh_token"]}
        state["refresh_token"] = post_form(server.url + TOKEN, form)["refresh_token"]

    bearer = {"Authorization": f"Bearer {login(server)['access_token']}"}
    get = alternating(
        {"anonymous": (server.url + PATH, {}), "bearer": (server.url + PATH, bearer)},
        rounds,
        seconds,
        cpu={"anonymous": server.cpu_seconds, "bearer": server.cpu_seconds},
    )
    return {
        "hashing": hashing,
        "clients": clients,
        "logins": per_second(server, max(seconds, 3.0), clients, log_in),
        "rotations": per_second(server, max(seconds, 3.0), clients, rotate),
        **get,
    }
