"""A registry for the registration tests: an HTTP server on a loopback socket that keeps what is
``PUT`` to ``/api/v1/services/{id}`` and records every request; ``answer`` sets the status it
answers with (503: a registry that is down), ``forget()`` empties it (a registry restart)."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .servers import serving_in_background

PREFIX = "/api/v1/services/"


class RecordingRegistry:
    def __init__(self) -> None:
        self.services: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []  # method, id, headers
        self.answer = 200
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self._record("PUT") and self.path.startswith(PREFIX):
                    registry.services[self.path.removeprefix(PREFIX)] = body
                    self._status(200)

            def do_DELETE(self) -> None:
                if self._record("DELETE"):
                    found = registry.services.pop(self.path.removeprefix(PREFIX), None)
                    self._status(404 if found is None else 204)

            def _record(self, method: str) -> bool:
                registry.requests.append(
                    (method, self.path.removeprefix(PREFIX), dict(self.headers))
                )
                if registry.answer != 200:
                    self._status(registry.answer)
                    return False
                return True

            def _status(self, status: int) -> None:
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def forget(self) -> None:
        self.services.clear()

    def count(self, method: str) -> int:
        return sum(1 for request in self.requests if request[0] == method)


@contextmanager
def recording_registry() -> Iterator[RecordingRegistry]:
    registry = RecordingRegistry()
    with serving_in_background(registry.server):
        yield registry
