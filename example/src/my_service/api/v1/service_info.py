"""What this service is and how long it has been up."""

import time

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from ... import __version__
from ...config import Environment
from ...state import service_state

router = APIRouter(tags=["service"])


class ServiceInfo(BaseModel):
    name: str
    version: str
    environment: Environment
    uptime_seconds: float
    components: dict[str, dict[str, str]] = Field(
        description="What this instance serves with (a model and its version)."
    )


@router.get("/health")
async def service_info(request: Request) -> ServiceInfo:
    state = service_state(request)
    settings = state.settings
    return ServiceInfo(
        name=settings.service_name,
        version=__version__,
        environment=settings.environment,
        uptime_seconds=round(time.monotonic() - state.started_at, 3),
        components=state.components,
    )
