"""The ``tracing`` stage: a server span per request, named by its route template.

An incoming W3C ``traceparent`` (and ``tracestate``) makes the span its child; the response
carries the span's own ``traceparent``, so a client can find the trace. The span is the current
one while the app runs (the calls the request makes are its children, and the events it records
carry its ``traceparent``), its trace and span ids are on every log line of the request, and the
request id is one of its attributes. The probes
and ``/metrics`` are not traced: they would be most of the spans and none of the interest.
"""

from contextvars import ContextVar

from opentelemetry import context, trace
from opentelemetry.context import Context
from opentelemetry.sdk.trace.id_generator import RandomIdGenerator
from opentelemetry.trace import SpanContext, TraceFlags
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from ..context import Exchange, trace_context
from ..pipeline.stage import Headers, Stage
from .calls import request_tracer
from .provider import WorkerTracing
from .spans import ServerSpan

UNTRACED = ("/health/", "/metrics")
CONTEXT_HEADERS = {b"traceparent": "traceparent", b"tracestate": "tracestate"}
PROPAGATOR = TraceContextTextMapPropagator()
IDS = RandomIdGenerator()
# The request's span, for the stage's later hooks (quicker to find than through the context).
request_span: ContextVar[ServerSpan | None] = ContextVar("request_span", default=None)
SAMPLED, NOT_SAMPLED = TraceFlags(TraceFlags.SAMPLED), TraceFlags(TraceFlags.DEFAULT)


class Tracing(Stage):
    name = "tracing"

    def __init__(self) -> None:
        self.worker: WorkerTracing | None = None  # the worker's, while the app runs

    def on_request(self, exchange: Exchange) -> None:
        worker = self.worker
        if worker is None or exchange.path.startswith(UNTRACED):
            return
        carrier = {
            CONTEXT_HEADERS[name]: value.decode("latin-1")
            for name, value in exchange.scope["headers"]
            if name in CONTEXT_HEADERS
        }
        # Without a caller's context, a root span: never a child of whatever the server's
        # context holds.
        parent = PROPAGATOR.extract(carrier) if carrier else Context()
        caller = trace.get_current_span(parent).get_span_context()
        trace_id = caller.trace_id if caller.is_valid else IDS.generate_trace_id()
        span = ServerSpan(
            SpanContext(
                trace_id,
                IDS.generate_span_id(),
                is_remote=False,
                trace_flags=SAMPLED if worker.sampling.sampled(caller, trace_id) else NOT_SAMPLED,
                trace_state=caller.trace_state,  # the caller's, passed on
            ),
            caller.span_id if caller.is_valid else 0,
            exchange.method,  # renamed once the route is known
            {
                "http.request.method": exchange.method,
                "url.path": exchange.path,
                "request.id": exchange.request_id or "",
            },
        )
        # Current for the rest of the request's task (and the tasks it starts); the task ends
        # with the request, and the context with it.
        context.attach(trace.set_span_in_context(span, parent))
        request_span.set(span)
        request_tracer.set(worker.tracer)  # the calls the request makes are traced with it
        trace_context.set(traceparent_of(span.context))  # carried by the request's events
        exchange.add_log_field("trace_id", format(trace_id, "032x"))
        exchange.add_log_field("span_id", format(span.context.span_id, "016x"))

    def on_response_start(self, exchange: Exchange, headers: Headers) -> None:
        span = self._span_of(exchange)
        if span is None:
            return
        headers.append((b"traceparent", traceparent_of(span.context).encode("ascii")))

    def on_finish(self, exchange: Exchange) -> None:
        span = self._span_of(exchange)
        if span is None:
            return
        route = exchange.route
        span.name = f"{exchange.method} {route}"
        span.attributes["http.route"] = route
        span.attributes["http.response.status_code"] = exchange.status
        if exchange.status >= 500:
            span.error = True
        span.end()
        if self.worker is not None and span.context.trace_flags.sampled:
            self.worker.batches.add(span.finished())

    @staticmethod
    def _span_of(exchange: Exchange) -> ServerSpan | None:
        return None if exchange.path.startswith(UNTRACED) else request_span.get()


def traceparent_of(ids: SpanContext) -> str:
    return f"00-{ids.trace_id:032x}-{ids.span_id:016x}-{int(ids.trace_flags):02x}"
