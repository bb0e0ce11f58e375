"""Load generation on loopback: wrk when installed (Debian's package), else a small asyncio client.

Both keep ``connections`` keep-alive connections busy for ``seconds`` and report requests per
second, latency percentiles and errors. Every run is bounded in time.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int  # answered in all (the errors included)


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def ensure_wrk() -> None:
    """Install Debian's wrk when it is missing and we may; otherwise the asyncio client is used."""
    if wrk_available() or os.geteuid() != 0 or shutil.which("apt-get") is None:
        return
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        try:
            subprocess.run(command, capture_output=True, check=True, timeout=300)
        except (OSError, subprocess.SubprocessError):
            return


# In a POST body, replaced by a token unique to each request (a new item's name, say).
UNIQUE = "{unique}"


def run_load(
    url: str,
    seconds: float,
    connections: int = 64,
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
) -> LoadResult:
    """GET ``url``, or POST ``body`` (JSON) to it, with ``UNIQUE`` in it made unique per request."""
    headers = {**(headers or {}), **({"Content-Type": "application/json"} if body else {})}
    if body is not None and UNIQUE.encode() in body:
        body = body.replace(UNIQUE.encode(), f"{uuid.uuid4().hex[:8]}-{UNIQUE}".encode())
    if wrk_available():
        return _wrk(url, seconds, connections, headers, body)
    return asyncio.run(_python_load(url, seconds, connections, headers, body))


_DURATION_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


# wrk's Lua: each thread numbers its requests, and the body's UNIQUE becomes "<thread>-<n>".
UNIQUE_BODIES = """
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end
local n = 0
function request()
  n = n + 1
  local body = wrk.body:gsub("{unique}", id .. "-" .. n)
  return wrk.format(nil, nil, nil, body)
end
"""


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * _DURATION_UNITS_MS[unit]


def _wrk(
    url: str, seconds: float, connections: int, headers: Mapping[str, str], body: bytes | None
) -> LoadResult:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
    command += [option for name, value in headers.items() for option in ("-H", f"{name}: {value}")]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if body is not None:
            # A Lua long string holds the JSON as it is (it has no "]==]").
            script.write(f'wrk.method = "POST"\nwrk.body = [==[{body.decode()}]==]\n')
            if UNIQUE.encode() in body:
                script.write(UNIQUE_BODIES)
            script.flush()
            command += ["--script", script.name]
        command.append(url)
        output = subprocess.run(
            command, capture_output=True, text=True, check=True, timeout=seconds + 30
        ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    if set(percentiles) != {"50", "99"}:
        raise RuntimeError(f"wrk reported no latencies for {url}:\n{output}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    return LoadResult(rate, _ms(percentiles["50"]), _ms(percentiles["99"]), errors, requests)


async def _python_load(
    url: str, seconds: float, connections: int, headers: Mapping[str, str], body: bytes | None
) -> LoadResult:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    method = "GET" if body is None else "POST"
    extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    sent = 0

    def request() -> bytes:
        nonlocal sent
        sent += 1
        content = (body or b"").replace(UNIQUE.encode(), str(sent).encode())
        length = f"Content-Length: {len(content)}\r\n" if body is not None else ""
        head = (
            f"{method} {parts.path or '/'} HTTP/1.1\r\nHost: {host}:{port}\r\n{extra}{length}\r\n"
        )
        return head.encode() + content

    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = 0

    async def connection() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                writer.write(request())
                status_line = await reader.readline()
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - start)
                if not status_line.startswith(b"HTTP/1.1 2"):
                    errors += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    answered = len(latencies)
    return LoadResult(answered / elapsed, cuts[49] * 1000, cuts[98] * 1000, errors, answered)


def alternating(
    targets: Mapping[str, tuple[str, Mapping[str, str]]],
    rounds: int,
    seconds: float,
    bodies: Mapping[str, bytes] | None = None,
    connections: int = 64,
    between_rounds: Callable[[], None] | None = None,
    cpu: Mapping[str, Callable[[], float]] | None = None,
) -> dict[str, dict[str, float]]:
    """Load each target (a URL and the headers to send; POSTing its entry of ``bodies``, if
    any) for a warm-up, then in alternating rounds, so drift on the machine hits them all alike
    (and whatever ``between_rounds`` measures after each round); the medians of each. Where
    ``cpu`` has a target's server (a function giving the CPU seconds its processes have used),
    also the server's CPU time per request: far steadier than req/s on a busy machine."""
    bodies, cpu = bodies or {}, cpu or {}
    for name, (url, headers) in targets.items():
        run_load(url, max(1.0, seconds / 4), connections, headers, bodies.get(name))
    runs: dict[str, list[LoadResult]] = {name: [] for name in targets}
    cpu_us: dict[str, list[float]] = {name: [] for name in cpu}
    for _ in range(rounds):
        for name, (url, headers) in targets.items():
            used = cpu[name]() if name in cpu else 0.0
            result = run_load(url, seconds, connections, headers, bodies.get(name))
            runs[name].append(result)
            if name in cpu:
                cpu_us[name].append((cpu[name]() - used) / max(1, result.requests) * 1e6)
        if between_rounds is not None:
            between_rounds()
    medians: dict[str, dict[str, float]] = {
        name: {
            "requests_per_second": statistics.median(r.requests_per_second for r in results),
            "p50_ms": statistics.median(r.p50_ms for r in results),
            "p99_ms": statistics.median(r.p99_ms for r in results),
            "errors": sum(r.errors for r in results),
        }
        for name, results in runs.items()
    }
    for name, values in cpu_us.items():
        medians[name]["cpu_us_per_request"] = round(statistics.median(values), 1)
    return medians
