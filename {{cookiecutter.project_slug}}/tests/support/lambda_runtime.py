"""Lambda's Runtime API, served by the test: what the real runtime interface client talks to.

The same HTTP protocol as in AWS (``/2018-06-01/runtime/...``): the client asks for the next
invocation, which waits until the test queues an event, then posts the handler's result or error.
"""

import json
import queue
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PREFIX = "/2018-06-01/runtime"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:{{ cookiecutter.project_slug }}"


@dataclass(frozen=True)
class Outcome:
    """What the function posted for an invocation: its ``response`` or its ``error``."""

    request_id: str
    kind: str
    body: dict[str, Any]


class RuntimeApi:
    """Hands out queued events one invocation at a time and collects what comes back. Until
    ``release()``, a request for the next invocation waits, as Lambda's does while the
    environment is idle; once released, it is refused, ending the client's wait."""

    def __init__(self) -> None:
        self.events: queue.Queue[tuple[str, dict[str, Any]] | None] = queue.Queue()
        self.outcomes: queue.Queue[Outcome] = queue.Queue()
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                if self.path != f"{PREFIX}/invocation/next":
                    self._answer(404, {"errorMessage": "no such route"})
                    return
                queued = api.events.get()
                if queued is None:
                    api.events.put(None)  # released: every later request is refused too
                    self._answer(500, {"errorMessage": "the environment is shutting down"})
                    return
                request_id, event = queued
                deadline = int((time.time() + 30) * 1000)
                trace_id = f"Root=1-{uuid.uuid4().hex[:8]}-{uuid.uuid4().hex[:24]}"
                self._answer(
                    200,
                    event,
                    {
                        "Lambda-Runtime-Aws-Request-Id": request_id,
                        "Lambda-Runtime-Deadline-Ms": str(deadline),
                        "Lambda-Runtime-Invoked-Function-Arn": FUNCTION_ARN,
                        "Lambda-Runtime-Trace-Id": trace_id,
                    },
                )

            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"] or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                parts = self.path.removeprefix(f"{PREFIX}/").split("/")
                if parts[0] == "invocation" and len(parts) == 3:
                    api.outcomes.put(Outcome(parts[1], parts[2], body))
                elif parts[:2] == ["init", "error"]:
                    api.outcomes.put(Outcome("", "init-error", body))
                self._answer(202, {"status": "OK"})

            def _answer(
                self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
            ) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                """Quiet."""

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        self.address = f"127.0.0.1:{self.http.server_address[1]}"

    def invoke(self, event: dict[str, Any], seconds: float = 30.0) -> Outcome:
        """Queue ``event`` as the next invocation and wait for its outcome."""
        request_id = str(uuid.uuid4())
        self.events.put((request_id, event))
        outcome = self.outcomes.get(timeout=seconds)
        assert outcome.request_id == request_id, outcome
        return outcome

    def release(self) -> None:
        self.events.put(None)
