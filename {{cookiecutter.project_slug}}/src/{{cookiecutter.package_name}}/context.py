"""Per-request context shared by middleware, handlers and logging."""

from contextvars import ContextVar

# The X-Request-ID of the request being handled (None outside a request).
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
