"""The ``tracing`` stage: a server span per request, named by its route template.

An incoming W3C ``traceparent`` (and ``tracestate``) makes the span its child; the response
carries the span's own ``traceparent``, so a client can find the trace. The span is the current
one while the app runs (an instrumented call made then is its child), its trace and span ids are
on every log line of the request, and the request id is one of its attributes. The probes and
``/metrics`` are not traced: they would be most of the spans and none of the interest.
"""

from opentelemetry import context, trace
from opentelemetry.context import Context
from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from ..context import Exchange
from ..pipeline.stage import Headers, Stage
from .calls import request_tracer

UNTRACED = ("/health/", "/metrics")
CONTEXT_HEADERS = {b"traceparent": "traceparent", b"tracestate": "tracestate"}
PROPAGATOR = TraceContextTextMapPropagator()


class Tracing(Stage):
    name = "tracing"

    def __init__(self, tracer: Tracer) -> None:
        self.tracer = tracer

    def on_request(self, exchange: Exchange) -> None:
        if exchange.path.startswith(UNTRACED):
            return
        carrier = {
            CONTEXT_HEADERS[name]: value.decode("latin-1")
            for name, value in exchange.scope["headers"]
            if name in CONTEXT_HEADERS
        }
        # Without a caller's context, a root span: never a child of whatever the server's
        # context holds.
        parent = PROPAGATOR.extract(carrier) if carrier else Context()
        span = self.tracer.start_span(
            exchange.method,  # renamed once the route is known
            context=parent,
            kind=SpanKind.SERVER,
            attributes={
                "http.request.method": exchange.method,
                "url.path": exchange.path,
                "request.id": exchange.request_id or "",
            },
        )
        # Current for the rest of the request's task (and the tasks it starts); the task ends
        # with the request, and the context with it.
        context.attach(trace.set_span_in_context(span))
        request_tracer.set(self.tracer)  # the calls the request makes are traced with it
        span_context = span.get_span_context()
        exchange.add_log_field("trace_id", format(span_context.trace_id, "032x"))
        exchange.add_log_field("span_id", format(span_context.span_id, "016x"))

    def on_response_start(self, exchange: Exchange, headers: Headers) -> None:
        span = self._span_of(exchange)
        if span is None:
            return
        span_context = span.get_span_context()
        flags = int(span_context.trace_flags)
        traceparent = f"00-{span_context.trace_id:032x}-{span_context.span_id:016x}-{flags:02x}"
        headers.append((b"traceparent", traceparent.encode("ascii")))

    def on_finish(self, exchange: Exchange) -> None:
        span = self._span_of(exchange)
        if span is None:
            return
        route = exchange.route
        span.update_name(f"{exchange.method} {route}")
        span.set_attribute("http.route", route)
        span.set_attribute("http.response.status_code", exchange.status)
        if exchange.status >= 500:
            span.set_status(Status(StatusCode.ERROR))
        span.end()

    @staticmethod
    def _span_of(exchange: Exchange) -> trace.Span | None:
        if exchange.path.startswith(UNTRACED):
            return None
        return trace.get_current_span()
