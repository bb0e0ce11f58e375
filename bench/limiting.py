"""The rate limits and the read cache: one worker each, side by side in one run (named so as not
to shadow the `limits` library where this folder is on the path).

- Limits in memory: the default render with ``RATE_LIMITS`` set to a limit no load reaches,
  against the same render without limits, on the same route.
- Limits in Redis: a render with ``redis=yes`` (on the local Redis, under a key prefix of its
  own, deleted afterwards), with and without the same limit.
- A cached item read: ``GET /api/v1/items/{id}`` of an existing item, again and again, from the
  ``redis=yes`` render (PostgreSQL behind its cache), against the same read from SQLite (the
  default answers) and from PostgreSQL (``database=postgresql``), without a cache.

The PostgreSQL services each get a database of their own on the local server, dropped afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .load import alternating
from .servers import Server

# (label, answers) of the renders besides the default one.
RENDERS = {
    "redis": ("redis=yes, PostgreSQL", ("redis=yes", "database=postgresql")),
    "postgresql": ("database=postgresql", ("database=postgresql",)),
}
REDIS_SERVER = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
PATH = "/api/v1/health"  # the limits' route: a small JSON answer, no database
ITEM = "/api/v1/items"
# Never reached, so every request is counted and admitted: what is measured is the counting.
UNREACHED = json.dumps({"default": "1000000/second"})
# Each server's name: (its label, its render, limits on, the path loaded).
SERVERS = {
    "off": ("default answers, limits off", "default", False, PATH),
    "memory": ("default answers, limits in memory", "default", True, PATH),
    "redis_off": ("redis=yes, limits off", "redis", False, PATH),
    "redis": ("redis=yes, limits in Redis", "redis", True, PATH),
    "read_sqlite": ("item read from SQLite (default answers)", "default", False, ITEM),
    "read_postgresql": ("item read from PostgreSQL", "postgresql", False, ITEM),
    "read_cached": ("item read from the Redis cache (PostgreSQL behind it)", "redis", False, ITEM),
}
# Both renders other than the default use PostgreSQL.
POSTGRES_SERVERS = [name for name, (_, render, _, _) in SERVERS.items() if render in RENDERS]
CLEAN_UP = """
import sys, redis
client = redis.Redis.from_url(sys.argv[1])
keys = list(client.scan_iter(match=sys.argv[2] + "*", count=1000))
if keys:
    client.delete(*keys)
"""


def limits_servers(
    pythons: dict[str, Path],
    package: str,
    folder: Path,
    databases: dict[str, str],
    prefix: str,
    production: dict[str, str],
) -> dict[str, Server]:
    """Each server, with its render's interpreter from ``pythons``; those on PostgreSQL on their
    database from ``databases``; those with Redis under the key ``prefix``."""
    env = {**production, "WORKERS": "1", "ACCESS_LOG": "true"}
    pool = {}
    for name, (label, render, limited, _) in SERVERS.items():
        (folder / name).mkdir(parents=True, exist_ok=True)
        variables = dict(env)
        if limited:
            variables["RATE_LIMITS"] = UNREACHED
        if render == "redis":
            variables |= {"REDIS_URL": REDIS_SERVER, "REDIS_KEY_PREFIX": f"{prefix}{name}:"}
        if name in databases:
            variables |= {"DATABASE_URL": databases[name], "DATABASE_MIGRATE_ON_START": "true"}
        pool[name] = Server(
            label,
            [str(pythons[render]), "-m", package],
            variables,
            cwd=folder / name,
            log=folder / f"{name}.log",
        )
    return pool


@contextmanager
def redis_prefix(python: Path) -> Iterator[str]:
    """A key prefix of the run's own; every key under it deleted afterwards (with the client
    the ``redis=yes`` render installed, ``python``)."""
    prefix = f"bench-{uuid.uuid4().hex[:8]}:"
    try:
        yield prefix
    finally:
        subprocess.run(
            [str(python), "-c", CLEAN_UP, REDIS_SERVER, prefix], check=True, capture_output=True
        )


def prepare(pool: dict[str, Server]) -> dict[str, str]:
    """An item in each server that reads one, and the URL of each server's path; checks that
    the limited servers count (they send the RateLimit field, which a store that cannot be
    reached leaves out)."""
    urls = {}
    for name, (_, _, limited, path) in SERVERS.items():
        server = pool[name]
        if path == ITEM:
            body = json.dumps({"name": "bench item"}).encode()
            request = urllib.request.Request(
                server.url + ITEM, body, {"Content-Type": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=10) as created:
                urls[name] = server.url + created.headers["Location"]
        else:
            urls[name] = server.url + path
        with urllib.request.urlopen(urls[name], timeout=10) as answer:
            counted = answer.headers.get("RateLimit") is not None
        if counted != limited:
            raise RuntimeError(f"{server.name}: RateLimit field {'missing' if limited else 'sent'}")
    return urls


def measure(pool: dict[str, Server], rounds: int, seconds: float) -> dict[str, Any]:
    """Every server in alternating rounds; medians."""
    urls = prepare(pool)
    measured: dict[str, Any] = alternating(
        {name: (url, {}) for name, url in urls.items()},
        rounds,
        seconds,
        cpu={name: server.cpu_seconds for name, server in pool.items()},
    )
    for name, row in measured.items():
        row["name"] = pool[name].name
    for name in ("redis", "read_cached"):
        # Reported beside the figures: a call that failed (a timeout on a loaded machine) let
        # its request through uncounted, or read it from the database.
        measured[name]["redis_failures"] = redis_failures(pool[name])
    return measured


def redis_failures(server: Server) -> float:
    """Calls to Redis that failed, from the service's ``redis_failures_total``: none means the
    limits were counted and the reads cached in Redis, rather than let through or read from the
    database."""
    with urllib.request.urlopen(f"{server.url}/metrics", timeout=5) as answer:
        text = answer.read().decode()
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("redis_failures_total{")
    )
