"""The ``tracing`` stage: a server span per request, named by its route template.

An incoming W3C ``traceparent`` (and ``tracestate``) makes the span its child; the response
carries the span's own ``traceparent``, so a client can find the trace. The span is the current
one while the app runs (the calls the request makes are its children, and the events it records
carry its ``traceparent``), its trace and span ids are on every log line of the request, and the
request id is one of its attributes. The probes
and ``/metrics`` are not traced: they would be most of the spans and none of the interest.
"""

from random import getrandbits

from opentelemetry import context, trace
from opentelemetry.context import Context
from opentelemetry.trace import INVALID_SPAN_CONTEXT
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from ..context import Exchange, trace_context
from ..pipeline.stage import Headers, Stage
from .calls import request_span
from .provider import WorkerTracing
from .spans import ServerSpan

UNTRACED = ("/health/", "/metrics")
CONTEXT_HEADERS = {b"traceparent": "traceparent", b"tracestate": "tracestate"}
PROPAGATOR = TraceContextTextMapPropagator()
ROOT = Context()  # the parent of a span without a caller (set_span_in_context copies it)


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
        if carrier:
            parent = PROPAGATOR.extract(carrier)
            caller = trace.get_current_span(parent).get_span_context()
        else:  # a root span: never a child of whatever the server's context holds
            parent, caller = ROOT, INVALID_SPAN_CONTEXT
        # Random ids as the SDK's generator makes them, without its method calls: unique, not
        # secret (the random module reseeds after a fork); 0 would mean no id.
        trace_id = caller.trace_id if caller.is_valid else (getrandbits(128) or 1)  # nosec B311
        span_id = getrandbits(64) or 1  # nosec B311
        sampled = worker.sampling.sampled(caller, trace_id)
        # Each id written out once: for the traceparent, the log lines and the events.
        trace_hex, span_hex = f"{trace_id:032x}", f"{span_id:016x}"
        span = ServerSpan(
            trace_id,
            span_id,
            sampled,
            caller,
            exchange.method,  # renamed once the route is known
            # What an unsampled span records is never sent: it records nothing.
            {
                "http.request.method": exchange.method,
                "url.path": exchange.path,
                "request.id": exchange.request_id or "",
            }
            if sampled
            else {},
            f"00-{trace_hex}-{span_hex}-{'01' if sampled else '00'}",
            worker.tracer,  # the calls the request makes are traced with it
        )
        # Current for the rest of the request's task (and the tasks it starts); the task ends
        # with the request, and the context with it.
        context.attach(trace.set_span_in_context(span, parent))
        request_span.set(span)
        trace_context.set(span.traceparent)  # carried by the request's events
        exchange.add_log_field("trace_id", trace_hex)
        exchange.add_log_field("span_id", span_hex)

    def on_response_start(self, exchange: Exchange, headers: Headers) -> None:
        span = self._span_of(exchange)
        if span is None:
            return
        headers.append((b"traceparent", span.traceparent.encode("ascii")))

    def on_finish(self, exchange: Exchange) -> None:
        span = self._span_of(exchange)
        if span is None or not span.sampled:
            return  # an unsampled span is never sent: nothing to finish
        route = exchange.route
        span.name = f"{exchange.method} {route}"
        span.attributes["http.route"] = route
        span.attributes["http.response.status_code"] = exchange.status
        if exchange.status >= 500:
            span.error = True
        span.end()
        if self.worker is not None:
            self.worker.batches.add(span.finished())

    @staticmethod
    def _span_of(exchange: Exchange) -> ServerSpan | None:
        return None if exchange.path.startswith(UNTRACED) else request_span.get()
