"""Soak: a bounded run of mixed reads and writes on the example ``items`` resource, on loopback.

A few client threads, each with one keep-alive connection, work through the same mix until the
deadline while the server's resident memory is sampled once a second. Reported: requests, errors
(transport failures and any status the scenario did not expect) and the mean RSS over the first
and the last window of the run.
"""

from __future__ import annotations

import http.client
import json
import random
import statistics
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from .servers import Server

ITEMS = "/api/v1/items"
# One cycle of every client's mix: 60% reads, 40% writes. As many deletes as creates, so the
# table stays a few items per client however long the run.
MIX = ("get",) * 6 + ("list",) * 6 + ("create",) * 3 + ("patch",) * 2 + ("delete",) * 3
NEEDS_AN_ITEM = {"get", "patch", "delete"}
EXPECTED = {"get": 200, "list": 200, "create": 201, "patch": 200, "delete": 204}
TIMEOUT = 10.0  # seconds per request: a stuck request fails instead of holding the run open
EXAMPLES = 5  # error descriptions kept for the report
# Fewer than the service's database connections (a pool of 5 and 10 more under load), so the soak
# measures the service rather than a queue for a connection.
CLIENTS = 8


@dataclass(frozen=True)
class SoakResult:
    seconds: float
    clients: int
    requests: int
    errors: int
    error_examples: list[str]
    window_seconds: int
    rss_first_mib: float
    rss_last_mib: float

    @property
    def rss_growth_percent(self) -> float:
        return (self.rss_last_mib / self.rss_first_mib - 1) * 100

    def as_dict(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 2),
            "clients": self.clients,
            "requests": self.requests,
            "requests_per_second": round(self.requests / self.seconds, 1),
            "errors": self.errors,
            "error_examples": self.error_examples,
            "window_seconds": self.window_seconds,
            "rss_first_mib": round(self.rss_first_mib, 1),
            "rss_last_mib": round(self.rss_last_mib, 1),
            "rss_growth_percent": round(self.rss_growth_percent, 2),
        }


@dataclass
class Tally:
    """Counts shared by the client threads."""

    requests: int = 0
    errors: int = 0
    examples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, error: str | None = None) -> None:
        with self.lock:
            self.requests += 1
            if error is not None:
                self.errors += 1
                if len(self.examples) < EXAMPLES:
                    self.examples.append(error)


class Client:
    """One connection working through the mix. It reads, changes and deletes only items it created
    itself, under names only it uses, so a 404 or a 409 can only be the service's fault."""

    def __init__(self, port: int, number: int, tally: Tally) -> None:
        self.port = port
        self.number = number
        self.tally = tally
        self.random = random.Random(number)  # the same order of operations on every run
        self.plan = list(MIX)
        self.random.shuffle(self.plan)
        self.names = count()
        self.owned: deque[int] = deque()  # oldest first: deletes take the oldest
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)

    def run(self, deadline: float) -> None:
        step = 0
        try:
            while time.monotonic() < deadline:
                operation = self.plan[step % len(self.plan)]
                step += 1
                if operation in NEEDS_AN_ITEM and not self.owned:
                    operation = "create"  # nothing of its own yet
                self.perform(operation)
        finally:
            self.connection.close()

    def name(self) -> str:
        return f"soak-{self.number}-{next(self.names)}"

    def request(self, operation: str) -> tuple[str, str, dict[str, Any] | None]:
        """Method, path and JSON body of the next ``operation``."""
        if operation == "create":
            return "POST", ITEMS, {"name": self.name(), "description": "soak"}
        if operation == "list":
            return "GET", f"{ITEMS}?limit=20&offset=0", None
        if operation == "delete":
            return "DELETE", f"{ITEMS}/{self.owned.popleft()}", None
        path = f"{ITEMS}/{self.random.choice(self.owned)}"
        if operation == "patch":
            return "PATCH", path, {"name": self.name(), "description": "patched"}
        return "GET", path, None

    def perform(self, operation: str) -> None:
        method, path, body = self.request(operation)
        try:
            status, payload = self.send(method, path, body)
        except (OSError, http.client.HTTPException) as error:
            # A fresh connection for the next request; this one may be half-read.
            self.connection.close()
            self.tally.add(f"{method} {path}: {error!r}")
            return
        if status != EXPECTED[operation]:
            self.tally.add(f"{method} {path}: {status} {payload[:120]!r}")
            return
        if operation == "create":
            try:
                self.owned.append(int(json.loads(payload)["id"]))
            except (ValueError, KeyError, TypeError):
                self.tally.add(f"{method} {path}: no id in {payload[:120]!r}")
                return
        self.tally.add()

    def send(self, method: str, path: str, body: dict[str, Any] | None) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        data = json.dumps(body).encode() if body is not None else None
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        return response.status, response.read()


def sample_rss(server: Server, seconds: int) -> list[float]:
    """One sample in the middle of each second of the run, so each falls clearly in one second."""
    started = time.monotonic()
    samples = []
    for second in range(seconds):
        time.sleep(max(0.0, started + second + 0.5 - time.monotonic()))
        samples.append(server.rss_mib())
    return samples


def soak(server: Server, seconds: int, window: int, clients: int = CLIENTS) -> SoakResult:
    """Load the started ``server`` for ``seconds``; compare mean RSS of the first and last
    ``window`` seconds."""
    tally = Tally()
    started = time.monotonic()
    threads = [
        threading.Thread(target=Client(server.port, number, tally).run, args=(started + seconds,))
        for number in range(clients)
    ]
    for thread in threads:
        thread.start()
    samples = sample_rss(server, seconds)
    for thread in threads:
        thread.join()  # each finishes its request in flight at the deadline
    elapsed = time.monotonic() - started
    return SoakResult(
        seconds=elapsed,
        clients=clients,
        requests=tally.requests,
        errors=tally.errors,
        error_examples=tally.examples,
        window_seconds=window,
        rss_first_mib=statistics.fmean(samples[:window]),
        rss_last_mib=statistics.fmean(samples[-window:]),
    )
