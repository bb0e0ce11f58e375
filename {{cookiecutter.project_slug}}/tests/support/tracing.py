"""The service with tracing exported to the tests' receiver, and a peer it calls out to."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from fastapi import FastAPI

from {{ cookiecutter.package_name }}.config import Environment, Settings
from {{ cookiecutter.package_name }}.features import TRACED_CALLS, enabled_features
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.telemetry.feature import Telemetry
from {{ cookiecutter.package_name }}.telemetry.settings import TelemetrySettings


def app_tracing_to(settings: TelemetrySettings) -> FastAPI:
    """The service as configured, its tracing configured by ``settings``."""
    service = Settings(environment=Environment.TEST)
    others = [f for f in enabled_features(service) if not isinstance(f, Telemetry)]
    return create_app(service, [*others, Telemetry(service, settings, calls=TRACED_CALLS)])


class Peer:
    """Another service, on a socket: it answers ``status`` and keeps the headers it was sent."""

    def __init__(self, status: int = 200) -> None:
        self.received: list[dict[str, str]] = []
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                peer.received.append({name.lower(): value for name, value in self.headers.items()})
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                """Quiet."""

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/peer"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()
