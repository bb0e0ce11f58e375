"""Probes. Liveness never touches dependencies (a failing database must not get the process
restarted); readiness runs the registered checks and fails while shutting down."""

from typing import Literal

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, Field

from ..state import service_state

router = APIRouter(prefix="/health", tags=["health"])


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"


class ReadinessReport(BaseModel):
    status: Literal["ok", "unavailable"]
    checks: dict[str, str]
    components: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="What this instance serves with (a model, its version)."
    )


@router.get("/live")
async def live() -> Liveness:
    """The process is up and serving requests."""
    return Liveness()


@router.get(
    "/ready",
    responses={status.HTTP_503_SERVICE_UNAVAILABLE: {"model": ReadinessReport}},
)
async def ready(request: Request, response: Response) -> ReadinessReport:
    """The service can take traffic: every readiness check passes and it is not shutting down."""
    state = service_state(request)
    readiness = state.readiness
    checks = await readiness.run_checks()
    if readiness.shutting_down:
        checks["shutdown"] = "in progress"
    if all(result == "ok" for result in checks.values()):
        return ReadinessReport(status="ok", checks=checks, components=state.components)
    response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return ReadinessReport(status="unavailable", checks=checks, components=state.components)
