"""Response timer and access log: ``Server-Timing: app;dur=<ms>`` and ``X-Process-Time`` (seconds)
on every response, and one access-log line per request once the response is complete."""

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..logging import access_log
from .routes import route_template


def client_address(scope: Scope) -> str | None:
    client = scope.get("client")
    return f"{client[0]}:{client[1]}" if client else None


class TimingMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        start = time.perf_counter()
        status = 500  # what the client gets if the app fails before answering

        async def send_with_timing(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                elapsed = time.perf_counter() - start
                message["headers"] = [
                    *message.get("headers", ()),
                    (b"server-timing", b"app;dur=%.3f" % (elapsed * 1000)),
                    (b"x-process-time", b"%.6f" % elapsed),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_timing)
        finally:
            if access_log.enabled:
                access_log.write(
                    scope["method"],
                    route_template(scope),
                    status,
                    round((time.perf_counter() - start) * 1000, 3),
                    client_address(scope),
                )
