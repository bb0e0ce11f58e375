"""The tracing scenario: a service rendered with ``tracing=opentelemetry``, exporting every
request's span (and, in turn, one request in ten's) to a collector on loopback, side by side with
the default service, which has no tracing. The collector is a sink that takes each OTLP/HTTP
export and answers as a collector does, so the service's export thread does its real work.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .load import alternating
from .servers import Server

ANSWERS = ("tracing=opentelemetry",)
PATH = "/api/v1/health"


class Sink:
    """Takes OTLP/HTTP exports on a socket and counts them."""

    def __init__(self) -> None:
        self.exports = 0
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                sink.exports += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")  # an empty ExportTraceServiceResponse
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.http.server_address[1]}"


@contextmanager
def collector() -> Iterator[Sink]:
    sink = Sink()
    thread = threading.Thread(target=sink.http.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        sink.http.shutdown()
        sink.http.server_close()


def tracing_servers(
    untraced: Path,
    traced: Path,
    package: str,
    folder: Path,
    endpoint: str,
    production: dict[str, str],
) -> dict[str, Server]:
    """``untraced`` and ``traced``: the interpreters of the two renders' environments."""
    folder.mkdir(exist_ok=True)
    env = {**production, "WORKERS": "1", "ACCESS_LOG": "true"}
    traced_env = {**env, "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint}
    service = ["-m", package]
    return {
        "off": Server(
            "service without tracing",
            [str(untraced), *service],
            env,
            cwd=folder,
            log=folder / "a.log",
        ),
        "sampled": Server(
            "tracing, every request sampled",
            [str(traced), *service],
            {**traced_env, "OTEL_TRACES_SAMPLER": "parentbased_always_on"},
            cwd=folder,
            log=folder / "b.log",
        ),
        "ratio": Server(
            "tracing, parent-based 10% sampling",
            [str(traced), *service],
            {
                **traced_env,
                "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
                "OTEL_TRACES_SAMPLER_ARG": "0.1",
            },
            cwd=folder,
            log=folder / "c.log",
        ),
    }


def measure(pool: dict[str, Server], sink: Sink, rounds: int, seconds: float) -> dict[str, Any]:
    """The three servers in alternating rounds; medians, and the exports the collector took."""
    measured: dict[str, Any] = alternating(
        {name: (server.url + PATH, {}) for name, server in pool.items()},
        rounds,
        seconds,
        cpu={name: server.cpu_seconds for name, server in pool.items()},
    )
    measured["exports"] = sink.exports
    return measured
