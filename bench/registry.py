"""The registry scenario: a service rendered with ``service_registry=server`` (1 worker, as it
must run) checking 50 registered services every second, each on a port of its own
(``members.py``), while one client lists them back to back: how late the checks come (every
service checked within one interval?) and the listing's latency meanwhile.
"""

from __future__ import annotations

import http.client
import itertools
import json
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from .servers import Server, running

ANSWERS = ("service_registry=server",)
SERVICES = 50
INTERVAL = 1.0  # seconds between checks of one service, as registered
LISTING = "/api/v1/services?status=any"
BENCH = Path(__file__).resolve().parent


def register(server: Server, ports: list[int]) -> None:
    for index, port in enumerate(ports):
        url = f"http://127.0.0.1:{port}"
        body = {
            "name": f"service-{index % 10}",
            "url": url,
            "tags": ["bench", f"zone-{index % 3}"],
            "health_url": f"{url}/health/ready",
            "interval": INTERVAL,
            "timeout": INTERVAL,
        }
        request = urllib.request.Request(
            f"{server.url}/api/v1/services/member-{index}",
            json.dumps(body).encode(),
            {"Content-Type": "application/json"},
            method="PUT",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()


def listing_latencies(server: Server, seconds: float) -> list[float]:
    """One client listing every service, request after request, on one connection."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    latencies = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        connection.request("GET", LISTING)
        body = connection.getresponse().read()
        latencies.append(time.perf_counter() - started)
    connection.close()
    if len(json.loads(body)) != SERVICES:
        raise RuntimeError("the registry did not list every service")
    return latencies


def check_gaps(members_port: int, since: float) -> list[float]:
    """The time between consecutive checks of each service, after ``since`` (monotonic)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{members_port}/checks", timeout=10) as answer:
        checks: dict[str, list[float]] = json.load(answer)
    if len(checks) != SERVICES:
        raise RuntimeError(f"{SERVICES - len(checks)} services were never checked")
    return [
        later - earlier
        for times in checks.values()
        for earlier, later in itertools.pairwise(times)
        if earlier >= since
    ]


def measure(
    python: Path, package: str, folder: Path, env: dict[str, str], seconds: float
) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    members = subprocess.Popen(
        [sys.executable, str(BENCH / "members.py"), str(SERVICES)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert members.stdout is not None
        ports: list[int] = json.loads(members.stdout.readline())
        server = Server(
            "registry",
            [str(python), "-m", package],
            {**env, "WORKERS": "1"},
            cwd=folder,
            log=folder / "access.log",
        )
        with running([server]):
            register(server, ports)
            time.sleep(2 * INTERVAL)  # every service checked, the schedules settled
            since = time.monotonic()
            latencies = listing_latencies(server, seconds)
            gaps = check_gaps(ports[0], since)
    finally:
        members.kill()
        members.wait()
    return {
        "services": SERVICES,
        "interval_s": INTERVAL,
        "listings": len(latencies),
        "listing_p50_ms": statistics.median(latencies) * 1000,
        "listing_p99_ms": statistics.quantiles(latencies, n=100)[98] * 1000,
        "check_gap_p50_s": statistics.median(gaps),
        "check_gap_max_s": max(gaps),
        "checks": len(gaps),
    }
