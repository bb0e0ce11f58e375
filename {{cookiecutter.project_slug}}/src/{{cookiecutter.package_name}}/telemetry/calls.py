"""Calls a request makes (to other services, to the database), traced as children of its span.

An instrumentation is installed once per process and traces only calls made within a traced
request, with that request's tracer (its span carries it). Everything else passes
through untouched: a background refresh would be a trace of its own each time, noise without a
request, and a process may hold several apps (tests do), each exporting to its own provider.
"""

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer
from opentelemetry.util.types import AttributeValue

from .spans import ServerSpan

# Installs one kind of call's tracing in this process; calling it again changes nothing.
Instrumentation = Callable[[], None]

# The span of the request being handled (its tracer, its stage's later hooks): quicker to find
# than through the OpenTelemetry context, where a handler's own span may be current.
request_span: ContextVar[ServerSpan | None] = ContextVar("request_span", default=None)


def request_tracer() -> Tracer | None:
    """The tracer of the request being handled; None outside a traced request."""
    span = request_span.get()
    return span.tracer if span is not None else None


@contextmanager
def client_span(
    tracer: Tracer, name: str, attributes: Mapping[str, AttributeValue]
) -> Iterator[Span]:
    """A client span, current while the call runs; a call that raises marks it failed."""
    with tracer.start_as_current_span(
        name, kind=SpanKind.CLIENT, attributes=attributes, set_status_on_exception=False
    ) as span:
        try:
            yield span
        except BaseException as error:
            failed(span, type(error).__qualname__)
            raise


def failed(span: Span, error_type: str) -> None:
    span.set_status(Status(StatusCode.ERROR))
    span.set_attribute("error.type", error_type)
