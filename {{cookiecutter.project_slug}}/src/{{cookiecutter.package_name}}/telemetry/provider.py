"""The tracer provider of one worker process: built after the fork (its export thread would not
survive one), flushed and shut down when the worker stops, so the last spans are not lost.

Spans leave in batches from a bounded queue on a background thread; a request never waits for
the collector. Spans the collector did not take are counted in ``tracing_spans_dropped_total``.
"""

import os
from collections.abc import Sequence

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.sampling import (
    ALWAYS_OFF,
    ALWAYS_ON,
    ParentBased,
    Sampler,
    TraceIdRatioBased,
)
from prometheus_client import Counter

from .. import __version__
from ..config import Settings
from .settings import TelemetrySettings

DROPPED = Counter(
    "tracing_spans_dropped_total",
    "Spans the collector did not receive, by reason: queue_full (the export fell behind) or "
    "export_failed (the collector refused them or could not be reached).",
    ["reason"],
)
QUEUE_FULL = DROPPED.labels("queue_full")
EXPORT_FAILED = DROPPED.labels("export_failed")


class CountingExporter(SpanExporter):
    """Exports through ``exporter`` and counts the spans of the batches that failed."""

    def __init__(self, exporter: SpanExporter) -> None:
        self.exporter = exporter

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        result = self.exporter.export(spans)
        if result is not SpanExportResult.SUCCESS:
            EXPORT_FAILED.inc(len(spans))
        return result

    def shutdown(self) -> None:
        self.exporter.shutdown()

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return self.exporter.force_flush(timeout_millis)


class CountingBatchSpanProcessor(BatchSpanProcessor):
    """The SDK's batch processor, counting the spans it drops when its queue is full."""

    def on_end(self, span: ReadableSpan) -> None:
        queue = self._batch_processor._queue  # the SDK's bounded queue: it drops the oldest
        sampled = span.context is not None and span.context.trace_flags.sampled
        if sampled and len(queue) == queue.maxlen:
            QUEUE_FULL.inc()
        super().on_end(span)


def sampler(settings: TelemetrySettings) -> Sampler:
    ratio = TraceIdRatioBased(settings.traces_sampler_arg)
    samplers: dict[str, Sampler] = {
        "always_on": ALWAYS_ON,
        "always_off": ALWAYS_OFF,
        "traceidratio": ratio,
        "parentbased_always_on": ParentBased(ALWAYS_ON),
        "parentbased_always_off": ParentBased(ALWAYS_OFF),
        "parentbased_traceidratio": ParentBased(ratio),
    }
    return samplers[settings.traces_sampler]


def exporter(settings: TelemetrySettings) -> SpanExporter:
    timeout = settings.exporter_otlp_timeout / 1000
    if settings.exporter_otlp_protocol == "grpc":
        # Imported only when chosen: gRPC's runtime is large, and it starts no thread here,
        # before the fork.
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import (
            OTLPSpanExporter as GrpcSpanExporter,
        )

        return GrpcSpanExporter(endpoint=settings.traces_endpoint, timeout=timeout)
    return OTLPSpanExporter(endpoint=settings.traces_endpoint, timeout=timeout)


def build_provider(settings: TelemetrySettings, service: Settings) -> TracerProvider:
    resource = Resource.create(
        {
            "service.name": settings.service_name or service.service_name,
            "service.version": __version__,
            "deployment.environment.name": service.environment.value,
            "process.pid": os.getpid(),  # the worker: built after the fork
        }
    )
    # Not the global provider: each app (tests build many) has its own, shut down with it.
    provider = TracerProvider(sampler=sampler(settings), resource=resource, shutdown_on_exit=False)
    provider.add_span_processor(
        CountingBatchSpanProcessor(
            CountingExporter(exporter(settings)),
            max_queue_size=settings.bsp_max_queue_size,
            schedule_delay_millis=settings.bsp_schedule_delay,
            max_export_batch_size=min(512, settings.bsp_max_queue_size),
        )
    )
    return provider
