"""Servers under test: started as deployed, on loopback, and always stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

STARTUP_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """A command that serves HTTP on ``port`` once started."""

    name: str
    command: Sequence[str]
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    log: Path | None = None  # where its stdout goes (the access log, for the service)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    startup_timeout: float = STARTUP_TIMEOUT

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        """The variables it runs with: ours, its own, and where to listen."""
        env = {**os.environ, **self.env, "PORT": str(self.port), "HOST": "127.0.0.1"}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        return env

    def start(self) -> float:
        """Start it and wait for the first 200 from /health/live; return the seconds taken."""
        env = self.environment()
        command = [part.replace("{port}", str(self.port)) for part in self.command]
        stdout: IO[bytes] | int = self.log.open("ab") if self.log else subprocess.DEVNULL
        started = time.perf_counter()
        self.process = subprocess.Popen(
            command, env=env, cwd=self.cwd, stdout=stdout, stderr=subprocess.DEVNULL
        )
        while time.perf_counter() - started < self.startup_timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited during startup")
            try:
                with urllib.request.urlopen(f"{self.url}/health/live", timeout=1) as response:
                    if response.status == 200:
                        return time.perf_counter() - started
            except OSError:  # not listening yet, or not answering yet
                time.sleep(0.005)
        raise RuntimeError(f"{self.name} did not start within {self.startup_timeout} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=self.startup_timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server and its worker processes have used so far."""
        assert self.process is not None
        pids = [self.process.pid, *_children(self.process.pid)]
        return sum(_cpu_seconds(pid) for pid in pids)

    def rss_mib(self) -> float:
        """Resident memory of the server and its worker processes."""
        assert self.process is not None
        pids = [self.process.pid, *_children(self.process.pid)]
        return sum(_status_kib(pid, "VmRSS:", "status") for pid in pids) / 1024

    def pss_mib(self) -> float:
        """Proportional memory of the server and its workers: pages shared between them
        (copy-on-write after a fork) are counted once, split among the sharers."""
        assert self.process is not None
        pids = [self.process.pid, *_children(self.process.pid)]
        return sum(_status_kib(pid, "Pss:", "smaps_rollup") for pid in pids) / 1024


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a live process, from ``/proc/<pid>/stat`` (0 once it has gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return 0.0
    # Fields after the command (which may hold spaces), from its closing parenthesis: the
    # 14th and 15th fields of the line are the 12th and 13th here.
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _status_kib(pid: int, field: str, file: str) -> int:
    """A kB figure from ``/proc/<pid>/<file>``."""
    for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


@contextmanager
def running(servers: Sequence[Server]) -> Iterator[Sequence[Server]]:
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()
