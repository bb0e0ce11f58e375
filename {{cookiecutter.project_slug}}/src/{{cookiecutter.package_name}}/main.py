"""Application factory: ``create_app()`` builds the service; ``app`` is what servers import."""

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from . import __version__
from .api import health, v1
from .config import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.started_at = time.monotonic()
        yield

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
    app.include_router(health.router)
    app.include_router(v1.router, prefix="/api/v1")
    return app


app = create_app()
