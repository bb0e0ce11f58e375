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


app = FastAPI()


@app.get("/health/live")
async def live() -> Liveness:
    return Liveness()


app.include_router(v1, prefix="/api/v1")
