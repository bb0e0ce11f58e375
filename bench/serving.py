"""The model-serving scenario: a service rendered with ``ml_serving=yes`` answering
POST /api/v1/predict with batches of 1 and of 64 instances (1 worker), against the baseline a
user would write instead: a plain FastAPI endpoint on the same model package
(``plain_predict.py``, 1 worker), in alternating rounds; the model package's own predict
in-process, with no server (``predicting.py``), between the rounds, as the limit no server
reaches; /health/live's latency while 8 clients send batches of 64 back to back, to each. And
the memory of 2 workers, each loading the model, against 2 workers forked from a master that
preloaded it (``MODEL_PRELOAD``).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .load import alternating, run_load
from .servers import Server, running

ANSWERS = ("ml_serving=yes",)
PATH = "/api/v1/predict"
BATCH_SIZES = (1, 64)
BENCH = Path(__file__).resolve().parent
# Measurements of each species (the model's documented examples).
EXAMPLES = (
    {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2},
    {"sepal_length": 6.4, "sepal_width": 3.2, "petal_length": 4.5, "petal_width": 1.5},
    {"sepal_length": 6.3, "sepal_width": 3.3, "petal_length": 6.0, "petal_width": 2.5},
)
READY_TIMEOUT = 120.0
CLIENTS = 8


def instances(count: int) -> list[dict[str, float]]:
    """``count`` different flowers around the examples."""
    return [
        {name: round(value * (0.9 + 0.02 * (index % 10)), 2) for name, value in example.items()}
        for index in range(count)
        for example in [EXAMPLES[index % len(EXAMPLES)]]
    ]


def body(size: int) -> bytes:
    return json.dumps({"instances": instances(size)}).encode()


def wait_until_ready(server: Server, answers: int = 1) -> None:
    """The model loads in the background after the server answers /health/live: wait for
    ``answers`` ready answers in a row, each on a new connection (so that every worker of
    several is likely asked)."""
    deadline, ready = time.monotonic() + READY_TIMEOUT, 0
    while ready < answers:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{server.name}: the model did not load within {READY_TIMEOUT} s")
        try:
            with urllib.request.urlopen(f"{server.url}/health/ready", timeout=5) as response:
                ready = ready + 1 if response.status == 200 else 0
        except (urllib.error.HTTPError, OSError):
            ready = 0
            time.sleep(0.1)


def serving_server(python: Path, package: str, folder: Path, env: dict[str, str]) -> Server:
    folder.mkdir(parents=True, exist_ok=True)
    return Server(
        "service with a model",
        [str(python), "-m", package],
        {**env, "ACCESS_LOG": "true"},
        cwd=folder,
        log=folder / "access.log",
    )


def plain_server(python: Path, package: str, folder: Path) -> Server:
    """The baseline: ``plain_predict.py`` under uvicorn, 1 worker, no access log."""
    return Server(
        "plain FastAPI endpoint",
        [
            str(python),
            "-m",
            "uvicorn",
            "--app-dir",
            str(BENCH),
            "plain_predict:app",
            "--port",
            "{port}",
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        {"MODEL_PACKAGE": f"{package}_model"},
        cwd=folder,
    )


def in_process(python: Path, model_package: str, rounds: int) -> dict[str, list[float]]:
    """Rows per second of the model package's own ``predict``, per batch size, in each of
    ``rounds`` rounds of a process of its own."""
    output = subprocess.run(
        [str(python), str(BENCH / "predicting.py"), model_package, str(rounds)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "BATCH_SIZES": json.dumps(BATCH_SIZES)},
    ).stdout
    rates: dict[str, list[float]] = json.loads(output)
    return rates


def throughput(
    pool: dict[str, Server], python: Path, model_package: str, rounds: int, seconds: float
) -> tuple[dict[str, Any], dict[str, float]]:
    """Each batch size over HTTP to the service and to the plain endpoint (1 worker each,
    8 clients), and in-process, round after round, so that drift on the machine hits them all
    alike: rows/s, latencies and the server's CPU per request over HTTP, rows/s in-process;
    medians. Keys: the batch size, ``plain_<size>`` for the plain endpoint."""
    servers = {
        f"{prefix}{size}": pool[name]
        for size in BATCH_SIZES
        for prefix, name in (("", "service"), ("plain_", "plain"))
    }
    targets: dict[str, tuple[str, dict[str, str]]] = {
        key: (server.url + PATH, {}) for key, server in servers.items()
    }
    bodies = {key: body(int(key.removeprefix("plain_"))) for key in servers}
    limit: dict[str, list[float]] = {str(size): [] for size in BATCH_SIZES}

    def measure_limit() -> None:
        # As many seconds of the limit as of each size over HTTP (its rounds last 1 s each).
        for size, rates in in_process(python, model_package, max(1, round(seconds / 3))).items():
            limit[size] += rates

    # 8 clients: a batch takes milliseconds, and 64 waiting on one worker would time out.
    load = alternating(
        targets,
        rounds,
        seconds,
        bodies,
        CLIENTS,
        measure_limit,
        cpu={key: server.cpu_seconds for key, server in servers.items()},
    )
    over_http = {
        key: {**row, "rows_per_second": row["requests_per_second"] * int(key.split("_")[-1])}
        for key, row in load.items()
    }
    return over_http, {size: statistics.median(rates) for size, rates in limit.items()}


def model_counts(server: Server) -> dict[str, float]:
    """Prediction requests and model calls so far, from the service's /metrics (none from the
    plain endpoint, which has no metrics: one call per request)."""
    if server.name == "plain FastAPI endpoint":
        return {"requests": 0.0, "calls": 0.0}
    with urllib.request.urlopen(f"{server.url}/metrics", timeout=10) as response:
        text = response.read().decode()
    return {
        name: sum(float(value) for value in re.findall(rf"^{metric}{{.*}} (\S+)$", text, re.M))
        for name, metric in (
            ("requests", "model_batch_size_count"),
            ("calls", "model_inference_instances_count"),
        )
    }


def liveness_under_load(server: Server, seconds: float) -> dict[str, float]:
    """/health/live timed one request at a time while 8 connections POST batches of 64 back to
    back (the load from another process when wrk is installed); and how many of those requests
    the model predicted per call (the batches waiting for it are merged)."""
    before = model_counts(server)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    latencies = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        load = pool.submit(run_load, server.url + PATH, seconds, CLIENTS, None, body(64))
        time.sleep(min(1.0, seconds / 4))  # the clients are sending
        while not load.done():
            started = time.perf_counter()
            connection.request("GET", "/health/live")
            connection.getresponse().read()
            latencies.append(time.perf_counter() - started)
            time.sleep(0.005)
        sent = load.result()
    connection.close()
    after = model_counts(server)
    requests, calls = (after[name] - before[name] for name in ("requests", "calls"))
    return {
        "requests_per_call": requests / calls if calls else 1.0,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": statistics.quantiles(latencies, n=100)[98] * 1000,
        "probes": len(latencies),
        "rows_per_second": sent.requests_per_second * 64,
        "errors": sent.errors,
    }


def memory(python: Path, package: str, folder: Path, env: dict[str, str]) -> dict[str, float]:
    """Proportional memory (PSS) of 2 workers and their master, after predictions, with the
    model loaded per worker and preloaded before the fork."""
    measured = {}
    for name, preload in (("per_worker", "false"), ("preloaded", "true")):
        server = serving_server(
            python, package, folder / name, {**env, "WORKERS": "2", "MODEL_PRELOAD": preload}
        )
        with running([server]):
            wait_until_ready(server, answers=20)
            for _ in range(20):  # new connections: both workers predict
                request = urllib.request.Request(
                    server.url + PATH, body(64), {"Content-Type": "application/json"}
                )
                with urllib.request.urlopen(request, timeout=10) as response:
                    response.read()
            measured[name] = round(server.pss_mib(), 1)
    return measured


def measure(
    python: Path, package: str, folder: Path, env: dict[str, str], rounds: int, seconds: float
) -> dict[str, Any]:
    pool = {
        "service": serving_server(python, package, folder / "one", {**env, "WORKERS": "1"}),
        "plain": plain_server(python, package, folder),
    }
    with running(list(pool.values())):
        for server in pool.values():
            wait_until_ready(server)
        predictions, limit = throughput(pool, python, f"{package}_model", rounds, seconds)
        liveness = {name: liveness_under_load(server, seconds) for name, server in pool.items()}
    return {
        "http": {key: row for key, row in predictions.items() if not key.startswith("plain_")},
        "plain": {
            key.removeprefix("plain_"): row
            for key, row in predictions.items()
            if key.startswith("plain_")
        },
        "liveness": liveness["service"],
        "plain_liveness": liveness["plain"],
        "in_process_rows_per_second": limit,
        "pss_mib": memory(python, package, folder, env),
    }
