"""Database queries as client spans: each statement a traced request runs is a child span of the
current one, named by its operation, with the SQL as sent (its parameters never: they are data).
SQLAlchemy's cursor events on every engine carry it, listened to once per process."""

from functools import cache
from typing import Any

from opentelemetry.trace import Span, SpanKind
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, ExceptionContext
from sqlalchemy.engine.interfaces import DBAPICursor, ExecutionContext

from .calls import failed, request_tracer

# The spans of the statements running on a connection, innermost last.
SPANS = "telemetry.query_spans"


@cache  # once per process
def trace_queries() -> None:
    """The ``Instrumentation`` of SQLAlchemy engines."""
    event.listen(Engine, "before_cursor_execute", _started)
    event.listen(Engine, "after_cursor_execute", _finished)
    event.listen(Engine, "handle_error", _failed)


def _started(
    connection: Connection,
    cursor: DBAPICursor,
    statement: str,
    parameters: Any,
    context: ExecutionContext | None,
    executemany: bool,
) -> None:
    tracer = request_tracer()
    if tracer is None:
        return
    operation = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
    dialect = connection.dialect.name
    url = connection.engine.url
    attributes: dict[str, Any] = {
        "db.system.name": dialect,
        "db.query.text": statement,
        "db.operation.name": operation,
        "db.namespace": url.database or "",
    }
    if url.host:
        attributes |= {"server.address": url.host, "server.port": url.port or 0}
    span = tracer.start_span(operation or dialect, kind=SpanKind.CLIENT, attributes=attributes)
    connection.info.setdefault(SPANS, []).append(span)


def _finished(connection: Connection, *_: Any) -> None:
    spans: list[Span] | None = connection.info.get(SPANS)
    if spans:
        spans.pop().end()


def _failed(context: ExceptionContext) -> None:
    connection = context.connection
    spans: list[Span] | None = connection.info.get(SPANS) if connection is not None else None
    if spans:
        span = spans.pop()
        failed(span, type(context.original_exception).__qualname__)
        span.end()
