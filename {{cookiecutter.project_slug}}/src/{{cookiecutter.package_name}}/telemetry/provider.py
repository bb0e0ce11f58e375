"""The tracing of one worker process: built after the fork (its export thread would not survive
one), flushed and closed when the worker stops, so the last spans are not lost.

It holds the sampling the ``tracing`` stage decides by, the queue finished spans leave through,
and the SDK's tracer provider for the spans of the calls a request makes (and a handler's own),
which end in the same queue.
"""

import os
from dataclasses import dataclass

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import Tracer
from opentelemetry.util.types import AttributeValue

from .. import __version__
from ..config import Settings
from . import encoding
from .batches import Batches
from .sampling import RequestSampling, sdk_sampler
from .settings import TelemetrySettings
from .transports import Transport, transport

SCOPE = __package__ or "telemetry"


@dataclass(frozen=True)
class WorkerTracing:
    sampling: RequestSampling
    batches: Batches
    tracer: Tracer  # the SDK's, for spans other than the request's own
    provider: TracerProvider
    collector: Transport

    def close(self) -> None:
        """Sends the spans still queued (within the export timeout) and stops."""
        self.provider.shutdown()  # shuts the batches down with it
        self.collector.close()


def start_worker_tracing(settings: TelemetrySettings, service: Settings) -> WorkerTracing:
    attributes: dict[str, AttributeValue] = {
        "service.name": settings.service_name or service.service_name,
        "service.version": __version__,
        "deployment.environment.name": service.environment.value,
        "process.pid": os.getpid(),  # the worker: built after the fork
    }
    resource = encoding.resource(attributes)
    collector = transport(settings)

    def send(spans: list[bytes]) -> bool:
        return collector.send(encoding.export_request(resource, SCOPE, spans))

    batches = Batches(send, settings.bsp_max_queue_size, settings.bsp_schedule_delay)
    # Not the global provider: each app (tests build many) has its own, closed with it.
    provider = TracerProvider(sampler=sdk_sampler(settings), shutdown_on_exit=False)
    provider.add_span_processor(batches)
    tracer = provider.get_tracer(SCOPE)
    return WorkerTracing(RequestSampling(settings), batches, tracer, provider, collector)
