"""The Lambda scenario: a service rendered with ``aws_lambda=yes``, started as Lambda starts it.

Its package is built as ``make lambda-package`` builds it (wheels for Lambda's platform, no
bytecode, the servers' packages left out): for the default answers (arm64, the project's Python)
to weigh it, and for this machine and interpreter to start it. A cold start is Lambda's init
phase and first invocation: a new process, seeing nothing but the package and the standard
library, imports the handler module (which builds and starts the service) and answers one HTTP
API event; timed from before the import to the answer. The baselines are wrapped the same way
by Mangum and packaged the same way from the same releases: bare FastAPI (``baseline.py``) for
the function without a database, and FastAPI + SQLAlchemy's asyncio engine on aiosqlite creating
its table at init (``baseline_db.py``) for the function with SQLite.
Every start compiles what it imports, as on Lambda, whose code folder is read-only.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ANSWERS = ("aws_lambda=yes",)
BENCH = Path(__file__).resolve().parent
PACKAGE_FOLDER = "build/lambda"
# Lambda's names for this machine's architecture, and pip's platform tag for it.
ARCHITECTURES = {"x86_64": ("x86_64", "x86_64"), "aarch64": ("arm64", "aarch64")}
EVENT = {
    "version": "2.0",
    "routeKey": "$default",
    "rawPath": "/api/v1/health",
    "rawQueryString": "",
    "headers": {"host": "abc123.execute-api.us-east-1.amazonaws.com", "accept": "*/*"},
    "requestContext": {
        "http": {"method": "GET", "path": "/api/v1/health", "sourceIp": "203.0.113.7"},
        "requestId": "bench-request-1",
        "stage": "$default",
    },
    "isBase64Encoded": False,
}
# Run in a new process: import the handler's module, answer the event, print the seconds taken.
START = """
import importlib, json, sys, time
started = time.perf_counter()
sys.path.insert(0, sys.argv[1])
handler = importlib.import_module(sys.argv[2]).handler
class Context:
    aws_request_id = "bench"
    function_name = "bench"
    def get_remaining_time_in_millis(self):
        return 29_000
response = handler(json.loads(sys.argv[3]), Context())
elapsed = time.perf_counter() - started
assert response["statusCode"] == 200, response
print(elapsed)
"""
BARE_HANDLER = """from mangum import Mangum

from baseline import app

handler = Mangum(app, lifespan="off")
"""
# With its lifespan: the engine connects and creates the table on the first invocation.
DATABASE_HANDLER = """from mangum import Mangum

from baseline_db import app

handler = Mangum(app, lifespan="auto")
"""


def package(project: Path, architecture: str, python_version: str) -> Path:
    """``make lambda-package`` for this architecture and Python; the folder it fills."""
    subprocess.run(
        [
            "make",
            "--silent",
            "lambda-package",
            f"LAMBDA_ARCHITECTURE={architecture}",
            f"LAMBDA_PYTHON={python_version}",
        ],
        cwd=project,
        env={
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        },
        check=True,
        capture_output=True,
    )
    return project / PACKAGE_FOLDER


def bare_package(folder: Path, releases: dict[str, str], platform_tag: str) -> Path:
    """Bare FastAPI and Mangum, and SQLAlchemy with aiosqlite for the baseline with a database,
    at the service package's releases, installed the same way."""
    folder.mkdir(parents=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-compile",
            "--target",
            str(folder),
            "--implementation",
            "cp",
            "--python-version",
            f"{sys.version_info.major}.{sys.version_info.minor}",
            "--platform",
            f"manylinux2014_{platform_tag}",
            "--only-binary=:all:",
            f"fastapi=={releases['fastapi']}",
            f"mangum=={releases['mangum']}",
            *(f"{name}=={releases[name]}" for name in ("sqlalchemy", "aiosqlite", "greenlet")),
        ],
        check=True,
        capture_output=True,
    )
    for module in ("baseline.py", "baseline_db.py"):
        shutil.copy(BENCH / module, folder / module)
    (folder / "bare_handler.py").write_text(BARE_HANDLER)
    (folder / "database_handler.py").write_text(DATABASE_HANDLER)
    return folder


def releases(folder: Path) -> dict[str, str]:
    """The distributions installed in a package folder, by name: their versions."""
    found = {}
    for info in folder.glob("*.dist-info"):
        name, version = info.name.removesuffix(".dist-info").rsplit("-", 1)
        found[name.lower().replace("_", "-")] = version
    return found


def size_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def zipped_bytes(folder: Path) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        archive = shutil.make_archive(str(Path(scratch) / "function"), "zip", folder)
        return Path(archive).stat().st_size


def cold_start(folder: Path, module: str, environment: dict[str, str]) -> float:
    """Seconds from importing the handler's module to its first answer, in a new process that
    sees only the package and the standard library (``-I -S``)."""
    output = subprocess.run(
        [sys.executable, "-I", "-S", "-c", START, str(folder), module, json.dumps(EVENT)],
        env={**environment, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(output.strip().splitlines()[-1])


def measure(
    projects: dict[str, Path], package_name: str, folder: Path, times: int
) -> dict[str, Any]:
    """``projects``: the default answers with Lambda on (``default``), and the same without a
    database (``no_database``)."""
    default_project = projects["default"]
    answers = json.loads((default_project / ".cookiecutter.json").read_text())["cookiecutter"]
    default = package(default_project, "arm64", answers["python_version"])
    weight = {"size_bytes": size_bytes(default), "zipped_bytes": zipped_bytes(default)}
    architecture, platform_tag = ARCHITECTURES[platform.machine()]
    interpreter = f"{sys.version_info.major}.{sys.version_info.minor}"
    service = package(default_project, architecture, interpreter)
    without_database = package(projects["no_database"], architecture, interpreter)
    bare = bare_package(folder / "bare", releases(service), platform_tag)
    handler = f"{package_name}.aws_lambda.handler"
    production = {"ENVIRONMENT": "production", "LOG_FORMAT": "json"}
    migrated = folder / "migrated.sqlite3"
    starts: dict[str, list[float]] = {name: [] for name in START_LABELS}
    for run in range(times):
        starts["bare"].append(cold_start(bare, "bare_handler", {}))
        baseline_database = f"sqlite+aiosqlite:///{folder / f'baseline-{run}.sqlite3'}"
        starts["bare_db"].append(
            cold_start(bare, "database_handler", {"DATABASE_URL": baseline_database})
        )
        starts["no_database"].append(cold_start(without_database, handler, production))
        # As infra/function.env configures it: a new SQLite database in /tmp, migrated at init
        # (the first run leaves one migrated for the next scenario).
        fresh = folder / f"start-{run}.sqlite3"
        at_init = {
            "DATABASE_URL": f"sqlite+aiosqlite:///{fresh}",
            "DATABASE_MIGRATE_ON_START": "true",
        }
        starts["migrating"].append(cold_start(service, handler, {**production, **at_init}))
        if not migrated.exists():
            shutil.copy(fresh, migrated)
        ready = {
            "DATABASE_URL": f"sqlite+aiosqlite:///{migrated}",
            "DATABASE_MIGRATE_ON_START": "false",
        }
        starts["migrated"].append(cold_start(service, handler, {**production, **ready}))
    return {
        "cold_start_s": {name: statistics.median(runs) for name, runs in starts.items()},
        "starts": times,
        "package": {"architecture": "arm64", "python": answers["python_version"], **weight},
    }


# The cold starts measured, the baselines first.
START_LABELS = {
    "bare": "bare FastAPI, wrapped by Mangum",
    "bare_db": "FastAPI + SQLAlchemy asyncio on aiosqlite, creating its table at init, wrapped by "
    "Mangum",
    "no_database": "the function, database=none",
    "migrated": "the function, SQLite, its schema already migrated",
    "migrating": "the function, SQLite in /tmp migrated at init (the default answers, as deployed)",
}
