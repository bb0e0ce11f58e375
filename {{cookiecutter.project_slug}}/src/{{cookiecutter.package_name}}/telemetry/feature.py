"""Tracing as a feature: its settings, its stage, the tracing of each worker process, and the
instrumentations that trace the calls a request makes."""

from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from ..config import Settings, load
from ..feature import Feature
from ..pipeline.stage import Stage
from ..state import ServiceState
from .calls import Instrumentation
from .provider import start_worker_tracing
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
        self.stage = Tracing()

    def stages(self) -> Sequence[Stage]:
        return [self.stage]

    def lifespan(self, state: ServiceState) -> AbstractAsyncContextManager[None]:
        return self._exporting()

    @asynccontextmanager
    async def _exporting(self) -> AsyncIterator[None]:
        # After the fork: the export thread belongs to this worker.
        worker = start_worker_tracing(self.settings, self.service)
        self.stage.worker = worker
        for instrument in self.calls:
            instrument()
        try:
            yield
        finally:
            self.stage.worker = None
            worker.close()  # sends what is queued, within the export timeout
