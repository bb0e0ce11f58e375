"""Services for the registry to check: small HTTP servers on loopback sockets whose health answer
the test sets, counting the checks they get."""

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .servers import serving_in_background


class Member:
    def __init__(self, name: str) -> None:
        self.name = name
        self.health_status = 200  # what GET /health/ready answers ...
        self.delay = 0.0  # ... after this many seconds
        self.checks = 0
        # What GET /openapi.json answers (with an ETag; 304 to a request that has it), and how
        # often it answered with the document.
        self.document: dict[str, Any] = {"openapi": "3.1.0", "info": {"title": name}, "paths": {}}
        self.document_status = 200
        self.documents_sent = 0
        member = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/health/ready":
                    member.checks += 1
                    time.sleep(member.delay)
                    self._answer(member.health_status, {"status": member.health_status})
                elif self.path == "/openapi.json":
                    self._document()
                else:
                    self._answer(404, {})

            def _document(self) -> None:
                etag = f'"{hash(json.dumps(member.document, sort_keys=True))}"'
                if member.document_status == 200 and self.headers["If-None-Match"] == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                if member.document_status == 200:
                    member.documents_sent += 1
                self._answer(member.document_status, member.document, {"ETag": etag})

            def _answer(
                self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
            ) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                for header, value in (headers or {}).items():
                    self.send_header(header, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def registration(self, **fields: Any) -> dict[str, Any]:
        return registration(self.name, self.url, **fields)


def registration(name: str, url: str, /, **fields: Any) -> dict[str, Any]:
    """What a service at ``url`` registers: checked every second unless ``fields`` say
    otherwise."""
    return {
        "name": name,
        "url": url,
        "tags": ["test", name],
        "health_url": f"{url}/health/ready",
        "openapi_url": f"{url}/openapi.json",
        "interval": 1,
        "timeout": 1,
        **fields,
    }


@contextmanager
def running_member(name: str) -> Iterator[Member]:
    member = Member(name)
    with serving_in_background(member.server):
        yield member
