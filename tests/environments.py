"""Installed environments for rendered projects, shared between test cases.

Installing FastAPI and the dev tools for every rendered variant would make the matrix slow, so
each distinct (Python version, dependency set) gets one cached virtual environment. Every case
then gets a small venv of its own that sees the shared packages through a .pth file, with only the
rendered project installed into it (``--no-deps``, built by the project's own build backend).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tomllib
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock

from bench.projects import distribution_name, subprojects

from .template import TEMPLATE_DIR

CACHE_DIR = Path(os.environ.get("TEMPLATE_TEST_CACHE", TEMPLATE_DIR / ".cache" / "environments"))
PYENV_ROOT = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
# No single install or check takes near this; a hung one fails instead of stalling the suite.
COMMAND_TIMEOUT = 900
# Settings the rendered service and its tests read; a value set in the shell running the suite
# must not leak in.
SERVICE_VARIABLES = (
    "ENVIRONMENT",
    "HOST",
    "PORT",
    "LOG_LEVEL",
    "DOCS_ENABLED",
    "SERVICE_NAME",
    "DATABASE_URL",
    "DATABASE_MIGRATE_ON_START",
    "TEST_DATABASE_URL",
    "AUTH_JWKS_URL",
    "AUTH_JWT_PUBLIC_KEY",
    "AUTH_JWT_SECRET",
    "AUTH_API_KEYS",
    "OTEL_SERVICE_NAME",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_PROTOCOL",
    "OTEL_EXPORTER_OTLP_HEADERS",
    "OTEL_TRACES_SAMPLER",
    "REGISTRY_URL",
    "REGISTRY_API_KEY",
    "SERVICE_URL",
    "SERVICE_ID",
    "SERVICE_TAGS",
    "RATE_LIMITS",
    "RATE_LIMIT_FAIL_CLOSED",
    "REDIS_URL",
    "REDIS_MAX_CONNECTIONS",
    "REDIS_TIMEOUT",
    "REDIS_KEY_PREFIX",
    "REDIS_CLIENT_NAME",
    "REDIS_CACHE_TTL",
    "REDIS_RATE_LIMIT_LEASE",
)
# The PostgreSQL server the postgresql renders test against; each test session there creates
# its own database and drops it.
POSTGRES_SERVER_URL = os.environ.get(
    "TEMPLATE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without an active virtualenv or the service's settings, and
    with bytecode written, as on a user's machine: each module of a shared environment is then
    compiled once, on its first import, not again at every start of every tool, test process
    and server the checks run (where PYTHONDONTWRITEBYTECODE is set, as in some CI images)."""
    dropped = {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONDONTWRITEBYTECODE"}
    dropped |= set(SERVICE_VARIABLES)
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env.update(extra)
    return env


def run(command: Sequence[str | Path], cwd: Path, **extra_env: str) -> str:
    """Run a command; on failure, fail with its whole output."""
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=clean_environment(**extra_env),
        capture_output=True,
        text=True,
        check=False,
        timeout=COMMAND_TIMEOUT,
    )
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, command))} exited {result.returncode}:\n{output}")
    return output


def pip_index_url() -> str:
    """The package index pip is configured to use."""
    from pip._internal.models.index import PyPI

    return os.environ.get("PIP_INDEX_URL") or PyPI.simple_url


def run_resolving_with_poetry(command: Sequence[str | Path], project: Path, poetry: str) -> None:
    """Run ``command``, which has Poetry resolve the project's dependencies. Some package indexes
    serve only the standard simple API, not the per-release JSON API that Poetry's built-in PyPI
    source reads; where a package is then "not found", add the index pip uses as the project's
    primary source, as a user would, and run it again."""
    try:
        run(command, cwd=project)
    except AssertionError as error:
        if "not found" not in str(error):
            raise
        run([poetry, "source", "add", "--priority=primary", "index", pip_index_url()], project)
        run(command, cwd=project)


def python_version_of(executable: str) -> str | None:
    try:
        result = subprocess.run(
            [executable, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except OSError:
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def find_python(version: str) -> str:
    """An interpreter for X.Y: on PATH, or installed by pyenv (whose shims answer only for the
    selected version). Without one, the suite's own interpreter stands in, with a warning."""
    candidates = [shutil.which(f"python{version}")]
    candidates += sorted(map(str, PYENV_ROOT.glob(f"versions/{version}.*/bin/python{version}")))
    for candidate in filter(None, candidates):
        if python_version_of(candidate) == version:
            return candidate
    warnings.warn(
        f"Python {version} is not installed; checking with Python "
        f"{sys.version_info.major}.{sys.version_info.minor} instead",
        stacklevel=2,
    )
    return sys.executable


def requirements(project: Path) -> list[str]:
    """Runtime and dev requirements declared by the rendered pyproject.toml files: the project's
    and its subprojects', except the subprojects themselves (they are installed from their
    folders)."""
    declared: list[str] = []
    own: set[str] = set()
    for folder in [project, *subprojects(project)]:
        pyproject = tomllib.loads((folder / "pyproject.toml").read_text("utf-8"))
        own.add(distribution_name(pyproject["project"]["name"]))
        declared += pyproject["project"]["dependencies"]
        declared += pyproject.get("dependency-groups", {}).get("dev", [])
    return sorted({r for r in declared if distribution_name(r) not in own})


def shared_environment(python_version: str, packages: list[str]) -> Path:
    """The cached venv with these packages for this Python, created once (safe under xdist).
    Not compiled to bytecode ahead: what the checks import is compiled when first imported
    (``clean_environment()``), a fraction of the largest environments (AWS CDK's source alone
    is about 180 MB)."""
    interpreter = find_python(python_version)
    key = hashlib.sha256(json.dumps([interpreter, packages]).encode()).hexdigest()[:16]
    venv = CACHE_DIR / f"py{python_version}-{key}"
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{venv}.lock"):
        if not (venv / "ready").exists():
            shutil.rmtree(venv, ignore_errors=True)
            run(["uv", "venv", "--quiet", "--python", interpreter, venv], cwd=CACHE_DIR)
            python = venv / "bin" / "python"
            run(["uv", "pip", "install", "--quiet", "--python", python, *packages], cwd=CACHE_DIR)
            (venv / "ready").write_text(json.dumps(packages, indent=2))
    return venv


def site_packages(venv: Path) -> str:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return run([venv / "bin" / "python", "-c", code], cwd=venv).strip()


# The rendered project's own checks, as its CI runs them: (tool, arguments).
CHECKS: tuple[tuple[str, ...], ...] = (
    ("ruff", "check", "."),
    ("ruff", "format", "--check", "."),
    ("mypy",),
    ("bandit", "--quiet", "--recursive", "src"),
    ("pytest", "-p", "no:cacheprovider"),
)
# A subproject's own checks, run from the project's folder (ruff's run covers it already).
SUBPROJECT_CHECKS: tuple[tuple[str, ...], ...] = (
    ("mypy", "--config-file", "{folder}/pyproject.toml"),
    ("bandit", "--quiet", "--recursive", "{folder}/src"),
    ("pytest", "-p", "no:cacheprovider", "{folder}"),
)


def checks_of(project: Path) -> list[tuple[str, ...]]:
    """The checks of the project, then those of each subproject."""
    checks = list(CHECKS)
    for folder in subprojects(project):
        name = folder.name
        checks += [tuple(part.format(folder=name) for part in check) for check in SUBPROJECT_CHECKS]
    return checks


def rendered_test_environment(answers: Mapping[str, Any]) -> dict[str, str]:
    """Variables for the rendered tests: a postgresql render tests against the real server."""
    if answers["database"] == "postgresql":
        return {"TEST_DATABASE_URL": POSTGRES_SERVER_URL}
    return {}


def seeing_shared_packages(project: Path, python_version: str, venv: Path) -> tuple[Path, Path]:
    """A new venv at ``venv`` that sees the shared packages of the project's dependencies and
    holds nothing itself: its interpreter, and the shared environment's."""
    shared = shared_environment(python_version, requirements(project))
    run(["uv", "venv", "--quiet", "--python", shared / "bin" / "python", venv], cwd=project)
    (Path(site_packages(venv)) / "_shared_environment.pth").write_text(site_packages(shared) + "\n")
    return venv / "bin" / "python", shared


def installed(project: Path, python_version: str, venv: Path) -> tuple[Path, Path]:
    """A venv at ``venv`` that sees the shared packages and holds only the rendered project
    itself (and its subprojects): its interpreter, and the shared environment's."""
    python, shared = seeing_shared_packages(project, python_version, venv)
    folders = [f"./{folder.name}" for folder in subprojects(project)]
    run(
        ["uv", "pip", "install", "--quiet", "--no-deps", "--python", python, *folders, "."],
        cwd=project,
    )
    return python, shared


def check_in_shared_environment(
    project: Path, python_version: str, venv: Path, *, run_tests: bool = True, **env: str
) -> None:
    """Run the project's checks in its own venv at ``venv`` (``installed()``); ``env`` adds
    variables."""
    python, shared = installed(project, python_version, venv)
    for tool, *arguments in checks_of(project):
        if tool == "pytest" and not run_tests:
            continue
        # ruff is a standalone binary; the Python tools run on the project's interpreter.
        command = [shared / "bin" / "ruff"] if tool == "ruff" else [python, "-m", tool]
        if tool == "mypy":
            with mypy_cache(python_version) as cache:
                run([*command, *arguments], cwd=project, MYPY_CACHE_DIR=str(cache), **env)
        else:
            run([*command, *arguments], cwd=project, **env)


@contextmanager
def mypy_cache(python_version: str) -> Iterator[Path]:
    """mypy's cache for this Python, shared by every render the suite checks: the packages they
    depend on (AWS CDK's types alone take most of a minute) are analysed once per Python, not
    once per render or per test process; mypy checks each module's source against the cache
    and analyses again only what changed. Held by one mypy run at a time, as mypy expects no
    other writer."""
    cache = CACHE_DIR / "mypy" / f"py{python_version}"
    cache.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{cache}.lock"):
        yield cache


MANAGERS = ("poetry", "uv")


def path_without_managers() -> str:
    """PATH without any folder holding Poetry or uv, as on a machine that has neither."""
    return os.pathsep.join(
        entry
        for entry in os.environ["PATH"].split(os.pathsep)
        if not any(Path(entry, tool).exists() for tool in MANAGERS)
    )


@contextmanager
def without_managers_on_path() -> Iterator[None]:
    """Inside, ``path_without_managers()`` (the suite's own tools are found again on leaving)."""
    saved = os.environ["PATH"]
    os.environ["PATH"] = path_without_managers()
    try:
        yield
    finally:
        os.environ["PATH"] = saved


def check_with_manager(project: Path, manager: str, **env: str) -> None:
    """Run the project's checks the way its user does: ``poetry run ...`` or ``uv run ...``."""
    for tool, *arguments in checks_of(project):
        # `poetry run` and `uv run` fall back to PATH: make sure the project's own tool answers.
        assert (project / ".venv" / "bin" / tool).is_file(), f"{tool} is not installed in .venv"
        run([manager, "run", tool, *arguments], cwd=project, **env)
