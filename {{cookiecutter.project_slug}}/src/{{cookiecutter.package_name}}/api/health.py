"""Kubernetes-style probes. Liveness never touches dependencies; readiness may."""

from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter(prefix="/health", tags=["health"])


class ProbeStatus(BaseModel):
    status: str


@router.get("/live")
async def live() -> ProbeStatus:
    """The process is up and serving requests."""
    return ProbeStatus(status="ok")


@router.get("/ready")
async def ready() -> ProbeStatus:
    """The service can take traffic."""
    return ProbeStatus(status="ok")
