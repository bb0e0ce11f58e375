"""The registry as a feature: its routes, and the health checks running in the worker's event
loop."""

from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from .. import __version__
from ..config import Settings, load
from ..feature import Feature, Routes
from ..state import ServiceState
from .catalog import Catalog
from .checks import HealthChecker
from .directory import ApiDirectory
from .documents import OpenApiDocuments
from .page import page_router
from .settings import RegistrySettings


class RegistryServer(Feature):
    name = "registry"
    one_process = True  # its services are in this process's memory

    def __init__(self, service: Settings, settings: RegistrySettings | None = None) -> None:
        self.service = service
        self.settings: RegistrySettings = settings or load(RegistrySettings)
        self.title = f"{service.service_name}: registered services"
        self.catalog = Catalog()
        self.checks = HealthChecker(self.catalog, self.settings)
        self.directory = ApiDirectory(
            self.catalog,
            self.checks,
            OpenApiDocuments(self.settings.openapi_max_age),
            title=self.title,
            version=__version__,
        )

    def routes(self) -> Sequence[Routes]:
        # Imported here: with authentication, the routes import the accepted schemes from
        # features.py, which imports this module.
        from .routes import registry_router

        return [
            Routes(registry_router(self.catalog, self.checks, self.directory)),
            Routes(page_router(self.catalog, self.title), api_version=None),
        ]

    def lifespan(self, state: ServiceState) -> AbstractAsyncContextManager[None]:
        return self._checking()

    @asynccontextmanager
    async def _checking(self) -> AsyncIterator[None]:
        async with self.checks.running():
            yield
