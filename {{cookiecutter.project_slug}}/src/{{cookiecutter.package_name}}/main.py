"""Application factory: ``create_app()`` builds the service; ``app`` is what servers import.

A request passes, outermost first: request id -> timing and access log -> metrics -> security
headers -> trusted hosts -> CORS -> deprecation headers -> timeout -> body size limit ->
unhandled-error guard -> FastAPI's exception handlers -> router.
"""

import gc
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from loguru import logger
from starlette.middleware.cors import CORSMiddleware

from . import __version__
from .api import health, root, v1
from .config import Settings, get_settings
{%- if cookiecutter.database != "none" %}
from .db.database import Database
{%- endif %}
from .errors import install_error_handlers, problem_responses
from .logging import configure_logging
from .middleware.body_limit import BodyLimitMiddleware
from .middleware.deprecation import DeprecationMiddleware
from .middleware.errors import ErrorMiddleware
from .middleware.metrics import MetricsMiddleware
from .middleware.request_id import RequestIdMiddleware
from .middleware.security_headers import SecurityHeadersMiddleware
from .middleware.timeout import TimeoutMiddleware
from .middleware.timing import TimingMiddleware
from .middleware.trusted_hosts import TrustedHostMiddleware
from .observability import metrics
from .readiness import Readiness
{%- if cookiecutter.database == "none" %}
from .repositories.in_memory_items import InMemoryItemRepository
{%- endif %}

API_VERSIONS = {"v1": v1.routers}


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings)
    readiness = Readiness()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.started_at = time.monotonic()
{%- if cookiecutter.database != "none" %}
        app.state.database = database = Database(settings)
        readiness.add_check("database", database.ping)
{%- endif %}
        readiness.not_ready_on_sigterm()
        metrics.record_app_info(__version__, settings.environment)
        logger.info("{} {} started ({})", settings.service_name, __version__, settings.environment)
        # Everything built so far lives as long as the process: keep it out of the garbage
        # collector's scans, which otherwise show up as latency spikes under load.
        gc.collect()
        gc.freeze()
        yield
{%- if cookiecutter.database != "none" %}
        await database.close()
{%- endif %}
        logger.info("{} stopped", settings.service_name)

    docs = settings.serve_docs
    app = FastAPI(
        title=settings.service_name,
        version=__version__,
        lifespan=lifespan,
        openapi_url="/openapi.json" if docs else None,
        docs_url="/docs" if docs else None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.readiness = readiness
{%- if cookiecutter.database == "none" %}
    app.state.item_repository = InMemoryItemRepository()
{%- endif %}

    install_error_handlers(app)
    # The API first: routes are matched in order, and API requests are the hot path.
    api_errors = problem_responses(422, 500)
    for version, routers in API_VERSIONS.items():
        for router in routers:
            app.include_router(router, prefix=f"/api/{version}", responses=api_errors)
    app.include_router(root.router)
    app.include_router(health.router)
    app.include_router(metrics.router)

    # add_middleware wraps what is already there: the last one added runs first.
    app.add_middleware(ErrorMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_body_size=settings.max_body_size)
    app.add_middleware(TimeoutMiddleware, seconds=settings.request_timeout)
    if settings.api_deprecations:
        prefixes = {f"/api/{v}": d for v, d in settings.api_deprecations.items()}
        app.add_middleware(DeprecationMiddleware, deprecations=prefixes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=settings.cors_allow_credentials,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID", "Server-Timing", "X-Process-Time"],
        )
    if settings.allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.is_production)
    app.add_middleware(MetricsMiddleware)
    app.add_middleware(TimingMiddleware)
    app.add_middleware(RequestIdMiddleware)
    return app


app = create_app()
