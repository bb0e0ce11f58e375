"""Serving as a feature: the model loaded in each worker process, the prediction endpoint, and
readiness that waits for the model."""

import asyncio
import gc
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress

from loguru import logger

from {{ cookiecutter.package_name }}_model import Model, load

from ..config import load as load_settings
from ..feature import Feature, Routes
from ..state import ServiceState
from .inference import Inference
from .routes import prediction_router
from .settings import ServingSettings


class ModelNotLoadedError(Exception):
    """The model is still loading, or failed to (the log says why)."""


class Serving(Feature):
    name = "serving"

    def __init__(
        self, settings: ServingSettings | None = None, loader: Callable[[], Model] = load
    ) -> None:
        self.settings: ServingSettings = settings or load_settings(ServingSettings)
        self.preload_app = self.settings.preload
        self.loader = loader
        self.inference: Inference | None = None  # once this worker has the model
        self._preloaded: Model | None = None

    def prepare(self) -> None:
        if self.settings.preload:
            model = self._preloaded = self._load_for_good()
            logger.info("Model {} {} preloaded, for every worker", model.name, model.version)

    def routes(self) -> Sequence[Routes]:
        return [Routes(prediction_router(lambda: self.inference, self.settings.max_batch_size))]

    def lifespan(self, state: ServiceState) -> AbstractAsyncContextManager[None]:
        return self._serving(state)

    @asynccontextmanager
    async def _serving(self, state: ServiceState) -> AsyncIterator[None]:
        state.readiness.add_check("model", self._loaded)
        # Loaded in the background: the worker answers its probes (not ready) meanwhile.
        loading = asyncio.create_task(self._load(state))
        try:
            yield
        finally:
            loading.cancel()
            with suppress(asyncio.CancelledError):
                await loading
            if self.inference is not None:
                self.inference.close()
                self.inference = None

    async def _load(self, state: ServiceState) -> None:
        try:
            model = self._preloaded
            if model is None:
                model = await asyncio.to_thread(self._load_for_good)
        except Exception:
            logger.exception("The model could not be loaded; the service stays not ready")
            return
        self.inference = Inference(
            model, self.settings.inference_threads, self.settings.max_instances_per_call
        )
        state.components["model"] = {"name": model.name, "version": model.version}
        logger.info("Model {} {} loaded", model.name, model.version)

    def _load_for_good(self) -> Model:
        model = self.loader()
        # The model and its libraries live as long as the process: out of the garbage
        # collector's scans, as the core does with what it built at startup. Before a fork,
        # this also keeps the workers' collections from writing to (so copying) the pages
        # they share with the master.
        gc.freeze()
        return model

    async def _loaded(self) -> None:
        if self.inference is None:
            raise ModelNotLoadedError
