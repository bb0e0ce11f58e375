"""Prometheus request metrics, labelled by route template (see routes.py), never the raw path."""

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..observability.metrics import in_progress_gauge, observe_request
from .routes import route_template

# Clients can send any token as a method; label only the standard ones to bound the series.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class MetricsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        method = scope["method"] if scope["method"] in KNOWN_METHODS else "OTHER"
        in_progress = in_progress_gauge(method)
        in_progress.inc()
        start = time.perf_counter()
        status = 500  # counted as such if the app fails before answering

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            observe_request(method, route_template(scope), status, time.perf_counter() - start)
            in_progress.dec()
