"""The service as deployed, for socket tests: a real process on a free port."""

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from http.server import HTTPServer
from pathlib import Path

import httpx2

import my_service.features  # noqa: F401 (imports the enabled features)
from my_service.feature import Feature

from .waiting import while_working

SERVICE_COMMAND = (sys.executable, "-m", "my_service")
# SIGTERM to exit: in-flight requests finish, then the shutdown (a clean stop takes far less).
STOP_SECONDS = 40
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


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


def cpu_seconds(pid: int) -> float | None:
    """CPU time used by a process and its children (gunicorn's workers, say), from /proc; None
    where there is no /proc."""
    try:
        entries = [entry.name for entry in os.scandir("/proc") if entry.name.isdigit()]
    except OSError:
        return None
    total = 0.0
    for entry in entries:
        try:
            stat = Path("/proc", entry, "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        # After the command's name in parentheses: state, ppid, ..., utime and stime.
        fields = stat.rpartition(")")[2].split()
        if entry == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


def wait_for_start(
    condition: Callable[[], bool], server: subprocess.Popen[bytes], what: str
) -> None:
    """Wait until ``condition()`` holds while the server works towards it (``while_working``);
    fail at once if it exits."""

    def reached() -> bool:
        assert server.poll() is None, f"the server exited before {what}"
        return condition()

    while_working(reached, lambda: cpu_seconds(server.pid), what)


def answers(url: str, status: int = 200) -> Callable[[], bool]:
    """Whether ``url`` answers ``status`` now."""

    def answered() -> bool:
        try:
            return httpx2.get(url).status_code == status
        except httpx2.TransportError:
            return False

    return answered


def wait_until_live(url: str, server: subprocess.Popen[bytes]) -> None:
    wait_for_start(answers(f"{url}/health/live"), server, "the server came up")


def wait_until_service_ready(service: "RunningService") -> None:
    """Until ``/health/ready`` answers 200 (a model loaded, say)."""
    wait_for_start(answers(f"{service.url}/health/ready"), service.process, "it was ready")


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
        assert process.wait(timeout=STOP_SECONDS) == 0, "SIGTERM did not end it cleanly"
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
