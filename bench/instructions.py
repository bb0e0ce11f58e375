"""Instructions per request under callgrind: the same requests to the service and to bare FastAPI,
each server run by ``valgrind --tool=callgrind`` with instrumentation switched on only after a
warm-up, for a fixed count of requests sent one after another on one connection. Instruction
counts do not depend on what else the machine is doing, unlike seconds.
"""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .servers import Server

WARM_UP = 300
REQUESTS = 1000
# Interpreted code under valgrind starts tens of times slower.
STARTUP_TIMEOUT = 600.0


def available() -> bool:
    return shutil.which("valgrind") is not None and shutil.which("callgrind_control") is not None


def send(server: Server, path: str, count: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    for _ in range(count):
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{server.name}: {path} answered {response.status}")
    connection.close()


def per_request(server: Server, path: str, folder: Path, requests: int, warm_up: int) -> float:
    """Instructions the server executes per request of ``path``, over ``requests`` of them after
    ``warm_up``."""
    out = folder / f"callgrind-{server.port}.out"
    measured = Server(
        server.name,
        [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={out}",
            *server.command,
        ],
        # The same hashes on every run: the same work in the interpreter's dictionaries.
        {**server.env, "PYTHONHASHSEED": "0"},
        cwd=server.cwd,
        port=server.port,
        startup_timeout=STARTUP_TIMEOUT,
    )
    measured.start()
    try:
        assert measured.process is not None
        pid = str(measured.process.pid)
        send(measured, path, warm_up)

        def control(action: str) -> None:
            # Each takes effect before callgrind_control returns. It finds the server by
            # names made of the user's and host's variables: the server's, HOST included.
            command = ["callgrind_control", action, pid]
            env = measured.environment()
            subprocess.run(command, check=True, capture_output=True, env=env)

        control("--instr=on")
        control("--zero")  # counting starts here
        send(measured, path, requests)
        control("--dump")
        [dump] = folder.glob(f"{out.name}.*")  # the one dump: ``<file>.1``
        return total_instructions(dump) / requests
    finally:
        measured.stop()


def total_instructions(dump: Path) -> int:
    found = re.search(r"^summary: (\d+)$", dump.read_text(), re.MULTILINE)
    if found is None:
        raise RuntimeError(f"{dump} holds no summary of instructions")
    return int(found.group(1))


def measure(
    pool: dict[str, Server], path: str, requests: int = REQUESTS, warm_up: int = WARM_UP
) -> dict[str, int]:
    """Instructions per request of each server, one at a time."""
    with tempfile.TemporaryDirectory() as scratch:
        measured: dict[str, int] = {}
        for name, server in pool.items():
            folder = Path(scratch) / name
            folder.mkdir()
            measured[name] = round(per_request(server, path, folder, requests, warm_up))
        return measured
