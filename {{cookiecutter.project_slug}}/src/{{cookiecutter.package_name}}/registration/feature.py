"""Registration as a feature: the registrar runs in each worker's event loop, beside the service,
and never holds up its startup or readiness (a registry that is down is retried)."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from typing import Any

import httpx2
from loguru import logger

from ..config import Environment, Settings, SettingsError, load
from ..feature import Feature
from ..state import ServiceState
from .registrar import Registrar
from .settings import RegistrationSettings, slug

# Where a missing registry only means this instance runs unregistered.
LOCAL: frozenset[Environment] = frozenset({Environment.DEVELOPMENT, Environment.TEST})


class Registration(Feature):
    name = "registration"

    def __init__(self, service: Settings, settings: RegistrationSettings | None = None) -> None:
        self.service = service
        self.settings: RegistrationSettings = settings or load(RegistrationSettings)
        missing = [
            variable
            for variable, value in (
                ("REGISTRY_URL", self.settings.registry_url),
                ("SERVICE_URL", self.settings.service_url),
            )
            if value is None
        ]
        if missing and service.environment not in LOCAL:
            raise SettingsError(
                f"invalid setting {missing[0]}: required in {service.environment} to register "
                "with the service registry"
            )
        self.registrar = None if missing else self._registrar()

    def _registrar(self) -> Registrar:
        settings = self.settings
        url = str(settings.service_url).rstrip("/")
        name = slug(self.service.service_name)
        default_id = f"{name}-{settings.service_url.host}-{settings.service_url.port}"  # type: ignore[union-attr]
        registration: dict[str, Any] = {
            "name": name,
            "url": url,
            "tags": settings.service_tags,
            "health_url": f"{url}/health/ready",
            "openapi_url": f"{url}/openapi.json" if self.service.serve_docs else None,
            "interval": settings.registry_check_interval,
            "timeout": min(5.0, settings.registry_check_interval),
            "deregister_after": settings.registry_deregister_after,
        }
        api_key = settings.registry_api_key
        return Registrar(
            str(settings.registry_url),
            settings.service_id or slug(default_id),
            registration,
            settings.registry_refresh_seconds,
            {"X-API-Key": api_key.get_secret_value()} if api_key else None,
        )

    def lifespan(self, state: ServiceState) -> AbstractAsyncContextManager[None]:
        return self._registered()

    @asynccontextmanager
    async def _registered(self) -> AsyncIterator[None]:
        if self.registrar is None:
            logger.info("REGISTRY_URL or SERVICE_URL is not set: not registering")
            yield
            return
        async with httpx2.AsyncClient() as client:
            registering = asyncio.create_task(self.registrar.keep_registered(client))
            try:
                yield
            finally:
                registering.cancel()
                with suppress(asyncio.CancelledError):
                    await registering
                await self.registrar.deregister(client)
