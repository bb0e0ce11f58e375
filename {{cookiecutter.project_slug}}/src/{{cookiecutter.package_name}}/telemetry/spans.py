"""Spans as the exporter takes them (``Finished``): a request's own span, recorded lean by the
``tracing`` stage, and the spans of the SDK (the calls a request makes, a handler's own),
converted once they end.

The SDK's span costs about 50 µs to start and end (attribute checks and locks on every set),
half a small request's time here; the request's span needs none of it. It is still an
OpenTelemetry span: current while the app runs, so the SDK's spans become its children, and a
handler may add attributes to it or mark it failed.
"""

from collections.abc import Mapping
from time import time_ns
from typing import NamedTuple

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import Span, SpanContext, SpanKind, Status, StatusCode, TraceFlags, Tracer
from opentelemetry.util.types import Attributes, AttributeValue

# Span kinds, as OTLP numbers them.
OTLP_KINDS = {kind: kind.value + 1 for kind in SpanKind}
SERVER = OTLP_KINDS[SpanKind.SERVER]
FLAGS = {True: TraceFlags(TraceFlags.SAMPLED), False: TraceFlags(TraceFlags.DEFAULT)}


class Finished(NamedTuple):
    """A span that has ended, as the encoder reads it (a tuple: one is made per sampled
    request, and a frozen dataclass costs several times as much to make)."""

    trace_id: int
    span_id: int
    parent_span_id: int  # 0: a root
    trace_state: str
    name: str
    kind: int
    start_ns: int
    end_ns: int
    attributes: Mapping[str, AttributeValue]
    error: bool

    @classmethod
    def of(cls, span: ReadableSpan, context: SpanContext) -> "Finished":
        """One of the SDK's spans, and its context."""
        return cls(
            context.trace_id,
            context.span_id,
            span.parent.span_id if span.parent else 0,
            context.trace_state.to_header(),
            span.name,
            OTLP_KINDS[span.kind],
            span.start_time or 0,
            span.end_time or 0,
            dict(span.attributes or {}),
            span.status.status_code is StatusCode.ERROR,
        )


class ServerSpan(Span):
    """A request's span: its ids and what it records until it ends.

    Its ``SpanContext`` is made when first asked for (by a call the request makes, or a
    handler): most requests never ask, and making one costs more than the rest of the span.
    """

    def __init__(
        self,
        trace_id: int,
        span_id: int,
        sampled: bool,
        caller: SpanContext,
        name: str,
        attributes: dict[str, AttributeValue],
        traceparent: str,
        tracer: Tracer,
    ) -> None:
        self.trace_id = trace_id
        self.span_id = span_id
        self.sampled = sampled
        self.caller = caller  # the incoming context, invalid without one
        self.name = name
        self.attributes = attributes
        self.traceparent = traceparent  # its W3C header, as the client and the events get it
        self.tracer = tracer  # the worker's, for the calls the request makes
        self.error = False
        self.start_ns = time_ns()
        self.end_ns = 0
        self._context: SpanContext | None = None

    @property
    def context(self) -> SpanContext:
        if self._context is None:
            # Not remote; the caller's trace state, passed on.
            self._context = SpanContext(
                self.trace_id, self.span_id, False, FLAGS[self.sampled], self.caller.trace_state
            )
        return self._context

    def get_span_context(self) -> SpanContext:
        return self.context

    def is_recording(self) -> bool:
        return self.sampled and not self.end_ns

    def set_attribute(self, key: str, value: AttributeValue) -> None:
        self.attributes[key] = value

    def set_attributes(self, attributes: Mapping[str, AttributeValue]) -> None:
        self.attributes.update(attributes)

    def update_name(self, name: str) -> None:
        self.name = name

    def set_status(self, status: Status | StatusCode, description: str | None = None) -> None:
        code = status.status_code if isinstance(status, Status) else status
        self.error = code is StatusCode.ERROR

    def record_exception(
        self,
        exception: BaseException,
        attributes: Attributes = None,
        timestamp: int | None = None,
        escaped: bool = False,
    ) -> None:
        self.attributes["error.type"] = type(exception).__qualname__

    def add_event(
        self, name: str, attributes: Attributes = None, timestamp: int | None = None
    ) -> None:
        """Events are not kept on the request's span."""

    def add_link(self, context: SpanContext, attributes: Attributes = None) -> None:
        """Links are not kept on the request's span."""

    def end(self, end_time: int | None = None) -> None:
        self.end_ns = end_time or time_ns()

    def finished(self) -> Finished:
        caller = self.caller
        return Finished(
            self.trace_id,
            self.span_id,
            caller.span_id if caller.is_valid else 0,
            caller.trace_state.to_header(),
            self.name,
            SERVER,
            self.start_ns,
            self.end_ns or time_ns(),
            self.attributes,
            self.error,
        )
