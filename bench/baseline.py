"""The baseline: bare FastAPI answering the same JSON on the same paths as the rendered service,
with nothing else (no middleware, no logging, no metrics)."""

import time

from fastapi import APIRouter, FastAPI
from pydantic import BaseModel

STARTED_AT = time.monotonic()


class ServiceInfo(BaseModel):
    name: str
    version: str
    environment: str
    uptime_seconds: float


class Liveness(BaseModel):
    status: str = "ok"


v1 = APIRouter()


@v1.get("/health")
async def service_info() -> ServiceInfo:
    return ServiceInfo(
        name="My Service",
        version="0.1.0",
        environment="production",
        uptime_seconds=round(time.monotonic() - STARTED_AT, 3),
    )


async def live() -> Liveness:
    return Liveness()


def build(app: FastAPI) -> FastAPI:
    """``app`` with the routes: at the root and behind the versioned router."""
    app.add_api_route("/health/live", live)
    app.include_router(v1, prefix="/api/v1")
    return app


def __getattr__(name: str) -> FastAPI:
    # ``app``, built when first asked for: baseline_db.py builds its own from these routes.
    if name != "app":
        raise AttributeError(name)
    global app
    app = build(FastAPI())
    return app
