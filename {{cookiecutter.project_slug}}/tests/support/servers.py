"""The service as deployed, for socket tests: a real process on a free port."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from http.server import HTTPServer
from pathlib import Path

import httpx2

import {{ cookiecutter.package_name }}.features  # noqa: F401 (imports the enabled features)
from {{ cookiecutter.package_name }}.feature import Feature

STARTUP_SECONDS = 20
SERVICE_COMMAND = (sys.executable, "-m", "{{ cookiecutter.package_name }}")


def _feature_classes(base: type[Feature] = Feature) -> Iterator[type[Feature]]:
    for subclass in base.__subclasses__():
        yield subclass
        yield from _feature_classes(subclass)


# The WORKERS the service runs with: one, and several unless a feature keeps it to one. Read
# from the enabled features' classes: building them would read settings and make keys.
WORKER_COUNTS: tuple[int, ...] = (
    (1,) if any(feature.one_process for feature in _feature_classes()) else (1, 2)
)


@dataclass(frozen=True)
class RunningService:
    url: str
    process: subprocess.Popen[bytes]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_live(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited during startup"
        try:
            if httpx2.get(f"{url}/health/live").status_code == 200:
                return
        except httpx2.TransportError:
            time.sleep(0.05)
    raise AssertionError("the server did not come up")


@contextmanager
def running_service(
    environment: Mapping[str, str],
    command: tuple[str, ...] = SERVICE_COMMAND,
    cwd: Path | None = None,
    output: Path | None = None,
) -> Iterator[RunningService]:
    """Serve in production mode with these extra variables (its output to the file ``output``,
    or discarded). On leaving, SIGTERM must stop the process cleanly (exit status 0)."""
    port = free_port()
    env = {**os.environ, "ENVIRONMENT": "production", "PORT": str(port), **environment}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    with ExitStack() as files:
        stdout = files.enter_context(output.open("ab")) if output else subprocess.DEVNULL
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=stdout)  # noqa: S603
    service = RunningService(f"http://127.0.0.1:{port}", process)
    try:
        wait_until_live(service.url, process)
        yield service
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=STARTUP_SECONDS) == 0, "SIGTERM did not end it cleanly"
    finally:
        process.kill()
        process.wait()


@contextmanager
def serving_in_background(server: HTTPServer) -> Iterator[None]:
    """``server`` (a peer the test plays: a registry, an identity provider, ...) answering from a
    thread inside; shut down and closed on leaving."""
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
