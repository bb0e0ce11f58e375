"""The request being handled, shared by the pipeline's stages, handlers and logging."""

import asyncio
from contextvars import ContextVar
from time import perf_counter
from typing import Any

from starlette.types import Scope

from .pipeline.routes import route_template


class Exchange:
    """One HTTP request and its response, as the pipeline sees them.

    Created by the pipeline for each request and set in ``current`` while it is handled. Stages
    read and fill it in rather than each keeping its own per-request state.
    """

    __slots__ = (
        "_route",
        "caller",
        "finished",
        "log_fields",
        "rate_limit_headers",
        "request_id",
        "response_started",
        "scope",
        "started",
        "status",
        "task",
    )

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.started = perf_counter()
        self.finished = self.started  # set once the response is complete
        # What the client gets if the app fails before answering.
        self.status = 500
        self.response_started = False
        self.request_id: str | None = None
        self._route: str | None = None
        # The task running the app for this request (the response may be sent from another).
        self.task: asyncio.Task[Any] | None = None
        # What stages add to every log line of the request, the access line included.
        self.log_fields: dict[str, str] | None = None
        # Who the credentials say the caller is (set by the auth stage): whose rate limits.
        self.caller: str | None = None
        # The rate limits' fields for the response, once the request was counted.
        self.rate_limit_headers: list[tuple[bytes, bytes]] | None = None

    @property
    def method(self) -> str:
        method: str = self.scope["method"]
        return method

    @property
    def path(self) -> str:
        path: str = self.scope["path"]
        return path

    @property
    def route(self) -> str:
        """The route template the request matched (known once the app has run, or set by a
        stage that answered it instead)."""
        if self._route is None:
            self._route = route_template(self.scope)
        return self._route

    @route.setter
    def route(self, template: str) -> None:
        self._route = template

    def add_log_field(self, name: str, value: str) -> None:
        """Log ``name`` with every line of this request (the caller's subject, a trace id)."""
        if self.log_fields is None:
            self.log_fields = {}
        self.log_fields[name] = value

    @property
    def duration(self) -> float:
        """Seconds from the request's arrival to its complete response."""
        return self.finished - self.started


current: ContextVar[Exchange | None] = ContextVar("exchange", default=None)
# The W3C traceparent of the request's span, set by tracing when it is on: what the request
# passes on to the work it causes elsewhere (its events), so that work joins its trace.
trace_context: ContextVar[str | None] = ContextVar("trace_context", default=None)


def request_id() -> str | None:
    """The X-Request-ID of the request being handled (None outside a request)."""
    exchange = current.get()
    return exchange.request_id if exchange is not None else None
