"""Application factory: ``create_app()`` builds the service; ``app`` is what servers import,
built when first asked for (so importing ``create_app`` builds nothing).

The service is its core (settings, logging, errors, probes, metrics, the versioned API and the
request pipeline) plus the features listed in ``features.py``, each composed through the same
interface (``feature.py``). Nothing here knows which features there are.
"""

import asyncio
import gc
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager, suppress
from functools import cache

from fastapi import FastAPI
from loguru import logger

from . import __version__, metrics
from .api import docs, probes, root, v1
from .api import metrics as metrics_route
from .config import Settings, get_settings
from .errors import install_error_handlers, problem_responses
from .feature import Feature, Routes
from .features import enabled_features
from .logging import access_log, configure_logging
from .pipeline.core import core_stages
from .pipeline.layer import Pipeline
from .pipeline.stage import Stage
from .rate_limits.openapi import document_rate_limits
from .rate_limits.rules import Rules
from .state import ServiceState, attach

API_VERSIONS = {"v1": v1.routers}


def create_app(
    settings: Settings | None = None, features: Sequence[Feature] | None = None
) -> FastAPI:
    """The service with ``settings`` (default: from the environment) and ``features`` (default:
    the enabled ones, configured from the environment)."""
    settings = settings or get_settings()
    features = enabled_features(settings) if features is None else features
    configure_logging(settings)
    state = ServiceState(settings, features)

    docs = settings.serve_docs
    app = FastAPI(
        title=settings.service_name,
        version=__version__,
        lifespan=lifespan(state),
        openapi_url="/openapi.json" if docs else None,
        docs_url=None,  # api/docs.py serves Swagger UI from installed files
        redoc_url=None,
        # The pipeline measures and traces requests. FastAPI's own OpenTelemetry would look
        # for global providers on every request, and trace each a second time if it found some.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    attach(app, state)
    for feature in features:
        feature.prepare()
    install_error_handlers(app)
    include_routes(app, features)
    store = next((f.rate_limit_store for f in features if f.rate_limit_store), None)
    if settings.rate_limits:
        shared_and_closed = store is not None and settings.rate_limit_fail_closed
        document_rate_limits(app, Rules(settings.rate_limits), may_be_unavailable=shared_and_closed)
    stages = [*core_stages(settings, store), *feature_stages(features)]
    app.add_middleware(Pipeline, stages=stages)
    return app


def include_routes(app: FastAPI, features: Sequence[Feature]) -> None:
    # The API first: routes are matched in order, and API requests are the hot path.
    api_errors = problem_responses(422, 500)
    routes = [Routes(r, version) for version, routers in API_VERSIONS.items() for r in routers]
    routes += [r for feature in features for r in feature.routes()]
    for route in sorted(routes, key=lambda r: r.api_version is None):
        if route.api_version is None:
            app.include_router(route.router)
        else:
            prefix = f"/api/{route.api_version}"
            app.include_router(route.router, prefix=prefix, responses=api_errors)
    if app.openapi_url:
        app.include_router(docs.router)
    app.include_router(root.router)
    app.include_router(probes.router)
    app.include_router(metrics_route.router)


def feature_stages(features: Sequence[Feature]) -> list[Stage]:
    return [stage for feature in features for stage in feature.stages()]


def lifespan(state: ServiceState) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Each worker's start and stop: the features' parts in their order (stopped in reverse),
    then what the core runs."""

    @asynccontextmanager
    async def run(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for feature in state.features:
                await stack.enter_async_context(feature.lifespan(state))
            await stack.enter_async_context(core_lifespan(state))
            yield

    return run


@asynccontextmanager
async def core_lifespan(state: ServiceState) -> AsyncIterator[None]:
    settings = state.settings
    flushing = [
        asyncio.create_task(access_log.flush_periodically()),
        asyncio.create_task(metrics.request_tally.flush_periodically()),
    ]
    state.started_at = time.monotonic()
    state.readiness.not_ready_on_sigterm()
    metrics.record_app_info(__version__, settings.environment)
    logger.info("{} {} started ({})", settings.service_name, __version__, settings.environment)
    # Everything built so far lives as long as the process: keep it out of the garbage
    # collector's scans, which otherwise show up as latency spikes under load. (No collection
    # first: startup leaves next to no garbage, and a full collection would delay serving.)
    gc.freeze()
    try:
        yield
    finally:
        for task in flushing:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task  # each flushes once more on its way out
        logger.info("{} stopped", settings.service_name)


@cache
def served_app() -> FastAPI:
    """The app configured from the environment, built once."""
    return create_app()


def __getattr__(name: str) -> FastAPI:
    """``main.app``: what servers import (``{{ cookiecutter.package_name }}.main:app``)."""
    if name == "app":
        return served_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
