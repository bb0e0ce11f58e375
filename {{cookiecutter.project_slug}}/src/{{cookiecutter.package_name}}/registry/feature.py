"""The registry as a feature: its routes, the health checks running in the worker's event
loop, and the registrations the store kept, put back at startup."""

import asyncio
import itertools
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from loguru import logger

from .. import __version__
from ..config import Settings, load
from ..errors import UnavailableError
from ..feature import Feature, Routes
from ..state import ServiceState
from .catalog import Catalog
from .checks import HealthChecker
from .directory import ApiDirectory
from .documents import OpenApiDocuments
from .page import page_router
from .settings import RegistrySettings
from .store import RegistrationStore

RESTORE_WAIT_SECONDS = 2.0  # at startup, before serving without them
RESTORE_RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0)  # then every 5 s, while the store is unreachable


class RegistryServer(Feature):
    name = "registry"
    one_process = True  # its services are in this process's memory

    def __init__(self, service: Settings, settings: RegistrySettings | None = None) -> None:
        self.service = service
        self.settings: RegistrySettings = settings or load(RegistrySettings)
        self.title = f"{service.service_name}: registered services"
        self.store = RegistrationStore()
        self.catalog = Catalog(self.store)
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
        return self._checking(state)

    @asynccontextmanager
    async def _checking(self, state: ServiceState) -> AsyncIterator[None]:
        self.store.open(state)
        async with self.checks.running():
            restoring = asyncio.create_task(self._restore(), name="registry restore")
            # Serve complete when the store answers at once; a store that does not is waited
            # for in the background, and readiness says so meanwhile.
            await asyncio.wait([restoring], timeout=RESTORE_WAIT_SECONDS)

            async def restored() -> None:
                if not restoring.done():
                    raise UnavailableError("The stored registrations are not loaded yet.")
                restoring.result()  # what stopped it, if anything did

            state.readiness.add_check(self.name, restored)
            try:
                yield
            finally:
                restoring.cancel()

    async def _restore(self) -> None:
        """Load what the store kept and check it, retrying while the store is unreachable
        (clients that register meanwhile are not held up)."""
        for attempt in itertools.count():
            try:
                restored = await self.catalog.restore()
            except UnavailableError:
                delay = RESTORE_RETRY_SECONDS[min(attempt, len(RESTORE_RETRY_SECONDS) - 1)]
                logger.warning("Stored registrations not loaded; retrying in {:g} s", delay)
                await asyncio.sleep(delay)
                continue
            for entry in restored:
                self.checks.watch(entry)
            if restored:
                logger.info("{} stored registrations loaded", len(restored))
            return
