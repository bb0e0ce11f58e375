"""``/api/v1/services``: register (idempotent, by id), deregister, list and look up; and
``/api/v1/openapi``, the merged API of the passing services."""

from http import HTTPStatus
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from ..errors import NotFoundError, problem_responses
from .access import WRITE, WRITE_RESPONSES
from .catalog import Catalog, Change
from .checks import HealthChecker
from .directory import ApiDirectory
from .schemas import SLUG, Registration, Service, ServiceId, Status
from .store import STORE_ERRORS

StatusFilter = Literal["passing", "warning", "critical", "any"]


def registry_router(catalog: Catalog, checks: HealthChecker, directory: ApiDirectory) -> APIRouter:
    router = APIRouter(tags=["registry"])

    @router.put(
        "/services/{service_id}",
        dependencies=WRITE,
        responses={
            **problem_responses(HTTPStatus.UNPROCESSABLE_ENTITY, *STORE_ERRORS),
            **WRITE_RESPONSES,
            HTTPStatus.CREATED.value: {"model": Service, "description": "Registered."},
        },
    )
    async def register(
        service_id: ServiceId, registration: Registration, response: Response
    ) -> Service:
        """Register an instance, or replace its registration: the same request again changes
        nothing (clients repeat it to stay registered). It is checked at once, then every
        ``interval`` seconds."""
        entry, change = await catalog.put(service_id, registration)
        if change is not Change.UNCHANGED:
            checks.watch(entry)
        if change is Change.CREATED:
            response.status_code = HTTPStatus.CREATED
        return entry.as_service()

    @router.delete(
        "/services/{service_id}",
        status_code=HTTPStatus.NO_CONTENT,
        dependencies=WRITE,
        responses={**problem_responses(HTTPStatus.NOT_FOUND, *STORE_ERRORS), **WRITE_RESPONSES},
    )
    async def deregister(service_id: ServiceId) -> None:
        """Remove an instance (it stops being checked)."""
        if await catalog.remove(service_id) is None:
            raise NotFoundError(f"No service is registered as {service_id!r}.")
        checks.forget(service_id)

    @router.get("/services")
    async def list_services(
        name: Annotated[str | None, Query(pattern=SLUG)] = None,
        tag: Annotated[list[str], Query(description="Every one of these tags.")] = [],  # noqa: B006 (FastAPI copies defaults)
        status: Annotated[
            StatusFilter, Query(description="passing by default, as a caller wants it.")
        ] = "passing",
    ) -> list[Service]:
        """The instances with this name, these tags and this health status, by id."""
        wanted = None if status == "any" else Status(status)
        return [entry.as_service() for entry in catalog.find(name, tag, wanted)]

    @router.get("/services/{service_id}", responses=problem_responses(HTTPStatus.NOT_FOUND))
    async def get_service(service_id: ServiceId) -> Service:
        entry = catalog.get(service_id)
        if entry is None:
            raise NotFoundError(f"No service is registered as {service_id!r}.")
        return entry.as_service()

    @router.get("/openapi")
    async def merged_openapi() -> dict[str, Any]:
        """One OpenAPI document for the passing services: each one's paths under ``/{name}``,
        its operation ids, tags and components renamed ``{name}__...``. Services whose document
        could not be fetched are named, with the reason, in ``x-registry-unavailable``."""
        return await directory.merged()

    return router
