"""What this service is and how long it has been up."""

import time

from fastapi import APIRouter, Request
from pydantic import BaseModel

from ... import __version__
from ...config import Environment
from ..state import app_settings

router = APIRouter(tags=["service"])


class ServiceInfo(BaseModel):
    name: str
    version: str
    environment: Environment
    uptime_seconds: float


@router.get("/health")
async def service_info(request: Request) -> ServiceInfo:
    settings = app_settings(request)
    started_at: float = request.app.state.started_at
    return ServiceInfo(
        name=settings.service_name,
        version=__version__,
        environment=settings.environment,
        uptime_seconds=round(time.monotonic() - started_at, 3),
    )
