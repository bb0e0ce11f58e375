"""Tracing as a feature: its settings, its stage, a tracer provider per worker process, and the
instrumentations that trace the calls a request makes."""

from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import ProxyTracerProvider, Tracer, get_tracer

from ..config import Settings, load
from ..feature import Feature
from ..pipeline.stage import Stage
from ..state import ServiceState
from .calls import Instrumentation
from .provider import build_provider
from .settings import TelemetrySettings
from .stage import Tracing


class Telemetry(Feature):
    name = "telemetry"

    def __init__(
        self,
        service: Settings,
        settings: TelemetrySettings | None = None,
        calls: Sequence[Instrumentation] = (),
    ) -> None:
        self.service = service
        self.settings: TelemetrySettings = settings or load(TelemetrySettings)
        self.calls = calls
        # Spans started before the worker's provider exists (there are none: the app serves
        # inside its lifespan) would go to the no-op provider.
        self.provider: TracerProvider | ProxyTracerProvider = ProxyTracerProvider()
        self.stage = Tracing(self._tracer())

    def _tracer(self) -> Tracer:
        return get_tracer(__name__, tracer_provider=self.provider)

    def stages(self) -> Sequence[Stage]:
        return [self.stage]

    def lifespan(self, state: ServiceState) -> AbstractAsyncContextManager[None]:
        return self._exporting()

    @asynccontextmanager
    async def _exporting(self) -> AsyncIterator[None]:
        # After the fork: the batch processor's thread belongs to this worker.
        provider = build_provider(self.settings, self.service)
        self.provider = provider
        self.stage.tracer = self._tracer()
        for instrument in self.calls:
            instrument()
        try:
            yield
        finally:
            provider.shutdown()  # exports what is queued, within the exporter's timeout
