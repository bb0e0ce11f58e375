"""``python -m bench``: the rendered service against bare FastAPI, side by side, in one run.

Renders the default answers, installs the service into a cached virtual environment, starts every
server on loopback, and measures them in alternating rounds (medians reported): throughput and
latency under wrk, cold start, import time, memory, ``/metrics`` scrape time, and render time;
then soaks the service alone with mixed reads and writes on its example resource.
Writes ``bench/results/latest.json`` and ``latest.md``; ``--update-docs`` writes every table into
``docs/benchmarks.md`` and the headline rows into ``README.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import (
    accounts,
    archive,
    auth,
    events,
    function,
    instructions,
    limiting,
    registry,
    serving,
    tracing,
)
from .load import alternating, ensure_wrk, wrk_available
from .projects import distribution_name, subprojects
from .report import markdown, update_docs
from .servers import Server, running
from .soak import soak
from .tools import find_tool

REPO = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
CACHE = REPO / ".cache" / "bench"
PATH = "/api/v1/health"  # a small JSON answer behind the versioned router, in both apps
PRODUCTION = {"ENVIRONMENT": "production", "LOG_LEVEL": "INFO"}


def render(output: Path, answers: tuple[str, ...] = ()) -> Path:
    """The default answers (changed by ``answers``, ``name=value``), rendered quietly into the
    empty folder ``output`` (the hook's next-steps text is not for us here)."""
    cookiecutter = find_tool("cookiecutter")
    output.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            cookiecutter,
            "--no-input",
            str(REPO),
            "--output-dir",
            str(output),
            "init_git=no",
            *answers,
        ],
        check=True,
        capture_output=True,
    )
    [project] = [path for path in output.iterdir() if path.is_dir()]
    return project


def environment(project: Path) -> Path:
    """A venv with the service's runtime dependencies (cached) and the service itself, with the
    packages of its own it depends on by path (a model package, say)."""
    folders = subprojects(project)
    declared = [
        tomllib.loads((folder / "pyproject.toml").read_text())["project"]
        for folder in [project, *folders]
    ]
    own = {distribution_name(metadata["name"]) for metadata in declared}
    requirements = sorted(
        requirement
        for metadata in declared
        for requirement in metadata["dependencies"]
        if distribution_name(requirement) not in own
    )
    compiled = json.dumps([sys.version, requirements, "compiled"])
    key = hashlib.sha256(compiled.encode()).hexdigest()[:12]
    venv = CACHE / f"venv-{key}"
    python = venv / "bin" / "python"
    uv = find_tool("uv")
    if not (venv / "ready").exists():
        subprocess.run([uv, "venv", "-q", "--python", sys.executable, venv], check=True)
        # Compiled, as the image installs them (UV_COMPILE_BYTECODE): where bytecode is not
        # written (PYTHONDONTWRITEBYTECODE), every start would otherwise compile what it imports.
        install = [uv, "pip", "install", "-q", "--compile-bytecode", "--python", str(python)]
        subprocess.run([*install, *requirements], check=True)
        (venv / "ready").touch()
    install = [uv, "pip", "install", "-q", "--compile-bytecode", "--python", str(python)]
    install += ["--no-deps", "--reinstall"]
    subprocess.run([*install, *map(str, [*folders, project])], check=True)
    return python


def servers(python: Path, package: str, logs: Path) -> dict[str, Server]:
    """The servers to compare. The service's run in ``logs``, a scratch folder, which also
    holds the SQLite database it creates on start."""
    service = [str(python), "-m", package]
    bare = [
        str(python),
        "-m",
        "uvicorn",
        "--app-dir",
        str(BENCH),
        "baseline:app",
        "--port",
        "{port}",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    bare_workers = [
        str(python),
        "-m",
        "gunicorn",
        "--chdir",
        str(BENCH),
        "--workers",
        "2",
        "--worker-class",
        "uvicorn_worker.UvicornWorker",
        "--bind",
        "127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--no-control-socket",
        "baseline:app",
    ]
    return {
        "bare": Server("bare FastAPI", bare),
        "log": Server(
            "service, JSON access log",
            service,
            {**PRODUCTION, "WORKERS": "1", "ACCESS_LOG": "true"},
            cwd=logs,
            log=logs / "1.log",
        ),
        "quiet": Server(
            "service, access log off",
            service,
            {**PRODUCTION, "WORKERS": "1", "ACCESS_LOG": "false"},
            cwd=logs,
        ),
        "bare2": Server("bare FastAPI, 2 workers", bare_workers),
        "log2": Server(
            "service, 2 workers, JSON access log",
            service,
            {**PRODUCTION, "WORKERS": "2", "ACCESS_LOG": "true"},
            cwd=logs,
            log=logs / "2.log",
        ),
        "quiet2": Server(
            "service, 2 workers, access log off",
            service,
            {**PRODUCTION, "WORKERS": "2", "ACCESS_LOG": "false"},
            cwd=logs,
        ),
    }


def soak_server(python: Path, package: str, folder: Path) -> Server:
    """The service as deployed, with the default JSON access log, working in an empty folder of
    its own so that its SQLite database starts empty. One worker, the default: the RSS measured is
    then one process's, and SQLite takes one writer at a time however many workers there are."""
    folder.mkdir()
    return Server(
        "service, soak",
        [str(python), "-m", package],
        {**PRODUCTION, "WORKERS": "1", "ACCESS_LOG": "true"},
        cwd=folder,
        log=folder / "access.log",
    )


def throughput(pool: dict[str, Server], rounds: int, seconds: float) -> dict[str, dict[str, Any]]:
    """Every server in alternating rounds: medians, and each server's memory after the load."""
    load = alternating(
        {name: (server.url + PATH, {}) for name, server in pool.items()},
        rounds,
        seconds,
        cpu={name: server.cpu_seconds for name, server in pool.items()},
    )
    return {
        name: {"name": pool[name].name, **load[name], "rss_mib": round(pool[name].rss_mib(), 1)}
        for name in pool
    }


def accounts_scenario(folder: Path, rounds: int, seconds: float) -> dict[str, Any]:
    """A service rendered with accounts: logins, refresh-token rotations, and the same route
    without credentials and with a token the service issued."""
    project = render(folder / "project", accounts.ANSWERS)
    package = json.loads((project / ".cookiecutter.json").read_text())["cookiecutter"][
        "package_name"
    ]
    python = environment(project)
    server, hashing = accounts.accounts_server(python, package, folder / "run", PRODUCTION)
    with running([server]):
        return accounts.measure(server, hashing, rounds, seconds)


def auth_scenario(folder: Path, rounds: int, seconds: float) -> dict[str, Any]:
    """A service rendered with bearer tokens: the same route without and with a token."""
    project = render(folder / "project", auth.ANSWERS)
    package = json.loads((project / ".cookiecutter.json").read_text())["cookiecutter"][
        "package_name"
    ]
    python = environment(project)
    public_pem, token = auth.signing_material(python)
    pool = auth.auth_servers(python, package, folder / "run", public_pem, PRODUCTION)
    with running(list(pool.values())):
        return auth.measure(pool, token, rounds, seconds)


def tracing_scenario(
    folder: Path, untraced: Path, package: str, rounds: int, seconds: float
) -> dict[str, Any]:
    """A service rendered with tracing, against the default one (``untraced``, its interpreter)
    without it."""
    project = render(folder / "project", tracing.ANSWERS)
    traced = environment(project)
    with tracing.collector() as sink:
        pool = tracing.tracing_servers(
            untraced, traced, package, folder / "run", sink.endpoint, PRODUCTION
        )
        with running(list(pool.values())):
            return tracing.measure(pool, sink, rounds, seconds)


def events_scenario(
    folder: Path, default: Path, package: str, rounds: int, seconds: float
) -> dict[str, Any]:
    """Services rendered with events, writing items, against the same without (``default``:
    the default render's interpreter), on SQLite and on PostgreSQL."""
    pythons = {
        name: default if not answers else environment(render(folder / name, answers))
        for name, (_, answers, _) in events.VARIANTS.items()
    }
    postgres = [
        name
        for name, (_, answers, _) in events.VARIANTS.items()
        if "database=postgresql" in answers
    ]
    with events.broker() as bootstrap, events.postgres_databases(postgres) as databases:
        pool = events.events_servers(
            pythons, package, folder / "run", bootstrap, databases, PRODUCTION
        )
        with running(list(pool.values())):
            return events.measure(pool, rounds, seconds)


def limits_scenario(
    folder: Path, default: Path, package: str, rounds: int, seconds: float
) -> dict[str, Any]:
    """Rate limits in memory and in Redis against none, and a cached item read against the same
    read from SQLite and from PostgreSQL (``default``: the default render's interpreter)."""
    pythons = {"default": default} | {
        name: environment(render(folder / name, answers))
        for name, (_, answers) in limiting.RENDERS.items()
    }
    with (
        limiting.redis_prefix(pythons["redis"]) as prefix,
        events.postgres_databases(limiting.POSTGRES_SERVERS) as databases,
    ):
        pool = limiting.limits_servers(
            pythons, package, folder / "run", databases, prefix, PRODUCTION
        )
        with running(list(pool.values())):
            return limiting.measure(pool, rounds, seconds)


def archive_scenario(folder: Path, package: str) -> dict[str, Any]:
    """A service rendered with the archive: events from Kafka stored in S3 by its own process,
    against a bare consumer of the same events."""
    python = environment(render(folder / "project", archive.ANSWERS))
    (folder / "run").mkdir(parents=True, exist_ok=True)
    with events.broker() as bootstrap, archive.s3_server() as endpoint:
        return archive.measure(python, package, folder / "run", bootstrap, endpoint, PRODUCTION)


def serving_scenario(folder: Path, rounds: int, seconds: float) -> dict[str, Any]:
    """A service rendered with a model: predictions over HTTP against the model in-process."""
    project = render(folder / "project", serving.ANSWERS)
    package = json.loads((project / ".cookiecutter.json").read_text())["cookiecutter"][
        "package_name"
    ]
    python = environment(project)
    return serving.measure(python, package, folder / "run", PRODUCTION, rounds, seconds)


def registry_scenario(folder: Path, seconds: float) -> dict[str, Any]:
    """A service rendered as a registry, checking 50 services while it lists them."""
    project = render(folder / "project", registry.ANSWERS)
    package = json.loads((project / ".cookiecutter.json").read_text())["cookiecutter"][
        "package_name"
    ]
    python = environment(project)
    return registry.measure(python, package, folder / "run", PRODUCTION, seconds)


def function_scenario(folder: Path, times: int) -> dict[str, Any]:
    """A service rendered with ``aws_lambda=yes``: its package's weight and its cold start as a
    function, against bare FastAPI wrapped and packaged the same way."""
    projects = {
        name: render(folder / name, (*function.ANSWERS, *answers))
        for name, answers in (("default", ()), ("no_database", ("database=none",)))
    }
    package = json.loads((projects["default"] / ".cookiecutter.json").read_text())["cookiecutter"][
        "package_name"
    ]
    return function.measure(projects, package, folder, times)


def database_baseline(python: Path, folder: Path) -> Server:
    """FastAPI + SQLAlchemy on aiosqlite (``baseline_db.py``): the baseline for a cold start
    with the default answers' database, its SQLite file in ``folder``."""
    return Server(
        "FastAPI + SQLAlchemy asyncio on aiosqlite",
        [
            str(python),
            "-m",
            "uvicorn",
            "--app-dir",
            str(BENCH),
            "baseline_db:app",
            "--port",
            "{port}",
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        cwd=folder,
    )


def cold_starts(pool: dict[str, Server], times: int) -> dict[str, float]:
    """Process start to the first 200 from /health/live, alternating the servers; medians."""
    measured: dict[str, list[float]] = {key: [] for key in pool}
    for _ in range(times):
        for key, server in pool.items():
            try:
                measured[key].append(server.start())
            finally:
                server.stop()
    return {key: statistics.median(values) for key, values in measured.items()}


def import_time(python: Path, module: str, times: int) -> float:
    """Seconds to import ``module`` and get its ``app`` (built on import, or when first asked)."""
    code = f"import time; t = time.perf_counter(); import {module} as m; m.app; "
    code += "print(time.perf_counter() - t)"
    runs = [
        float(
            subprocess.run(
                [str(python), "-c", code], capture_output=True, text=True, check=True, cwd=BENCH
            ).stdout
        )
        for _ in range(times)
    ]
    return statistics.median(runs)


def in_process(python: Path, package: str, folder: Path, rounds: int) -> dict[str, float]:
    """Microseconds per request in-process (``inprocess.py``), in the service's environment."""
    output = subprocess.run(
        [str(python), str(BENCH / "inprocess.py"), package, str(rounds)],
        capture_output=True,
        text=True,
        check=True,
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(BENCH)},
    ).stdout
    per_request: dict[str, float] = json.loads(output)
    return per_request


def scrape_time(server: Server, requests: int, scrapes: int) -> float:
    """Median seconds to scrape /metrics after ``requests`` requests over 20 distinct paths."""
    paths = [
        "/",
        "/health/live",
        "/health/ready",
        PATH,
        "/api/v1/items",
        "/missing",
        *(f"/api/v1/items/{i}" for i in range(1, 8)),
        *(f"/scan/{i}" for i in range(7)),
    ]
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    for i in range(requests):
        connection.request("GET", paths[i % len(paths)])
        connection.getresponse().read()
    durations = []
    for _ in range(scrapes):
        start = time.perf_counter()
        connection.request("GET", "/metrics")
        body = connection.getresponse().read()
        durations.append(time.perf_counter() - start)
    connection.close()
    assert b"http_requests_total" in body
    return statistics.median(durations)


def render_time(times: int) -> float:
    """Wall time of `cookiecutter --no-input` with the default answers, as a user runs it."""
    cookiecutter = find_tool("cookiecutter")  # looked up once, outside the timed runs
    runs = []
    for _ in range(times):
        with tempfile.TemporaryDirectory() as output:
            start = time.perf_counter()
            subprocess.run(
                [cookiecutter, "--no-input", str(REPO), "-o", output],
                check=True,
                capture_output=True,
            )
            runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpu": cpu,
        "cores": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "load": "wrk -t2 -c64" if wrk_available() else "asyncio client, 64 connections",
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few seconds: one short round")
    parser.add_argument(
        "--update-docs",
        "--update-readme",  # its former name
        action="store_true",
        help="write the tables into docs/benchmarks.md and the headline into README.md",
    )
    parser.add_argument("--output", type=Path, default=BENCH / "results")
    args = parser.parse_args()
    rounds, seconds, repeats, requests = (1, 1.0, 1, 400) if args.quick else (3, 8.0, 5, 10_000)
    soak_seconds, soak_window = (6, 2) if args.quick else (60, 10)

    CACHE.mkdir(parents=True, exist_ok=True)
    ensure_wrk()
    with tempfile.TemporaryDirectory(dir=CACHE) as work:
        project = render(Path(work) / "default")
        answers = json.loads((project / ".cookiecutter.json").read_text())["cookiecutter"]
        package = answers["package_name"]
        python = environment(project)
        pool = servers(python, package, Path(work))
        with running(list(pool.values())):
            load = throughput(pool, rounds, seconds)
            scrape = {
                "1": scrape_time(pool["quiet"], requests, 20),
                "2": scrape_time(pool["quiet2"], requests, 20),
            }
        # Alone on the machine, though instruction counts would not mind company.
        counted = (
            instructions.measure(
                {name: pool[name] for name in ("bare", "log", "quiet")},
                PATH,
                *((100, 50) if args.quick else (instructions.REQUESTS, instructions.WARM_UP)),
            )
            if instructions.available()
            else {}
        )
        starts = cold_starts(
            {
                "bare": pool["bare"],
                "bare_db": database_baseline(python, Path(work)),
                "service": pool["quiet"],
            },
            repeats,
        )
        # Alone on the machine: no other server is running by now.
        with running([soak_server(python, package, Path(work) / "soak")]) as [server]:
            soaked = soak(server, soak_seconds, soak_window)
        authenticating = auth_scenario(Path(work) / "auth", rounds, seconds)
        logging_in = accounts_scenario(Path(work) / "accounts", rounds, seconds)
        traced = tracing_scenario(Path(work) / "tracing", python, package, rounds, seconds)
        telling = events_scenario(Path(work) / "events", python, package, rounds, seconds)
        limited = limits_scenario(Path(work) / "limits", python, package, rounds, seconds)
        archiving = archive_scenario(Path(work) / "archive", package)
        predicting = serving_scenario(Path(work) / "serving", rounds, seconds)
        registering = registry_scenario(Path(work) / "registry", max(3.0, seconds * rounds))
        on_lambda = function_scenario(Path(work) / "function", repeats * 2)
        results = {
            "machine": machine(),
            "mode": "quick" if args.quick else "full",
            "throughput": load,
            "instructions_per_request": counted,
            "cold_start_s": starts,
            "import_s": {
                "service": import_time(python, f"{package}.main", repeats),
                "bare": import_time(python, "baseline", repeats),
                "bare_db": import_time(python, "baseline_db", repeats),
            },
            "metrics_scrape_s": scrape,
            "render_s": render_time(repeats),
            "soak": soaked.as_dict(),
            "in_process_us": in_process(python, package, Path(work), rounds * 3),
            "auth": authenticating,
            "accounts": logging_in,
            "tracing": traced,
            "events": telling,
            "limits": limited,
            "archive": archiving,
            "serving": predicting,
            "registry": registering,
            "function": on_lambda,
        }
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    table = markdown(results)
    (args.output / "latest.md").write_text(table)
    print(table)
    if args.update_docs:
        update_docs(REPO, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
