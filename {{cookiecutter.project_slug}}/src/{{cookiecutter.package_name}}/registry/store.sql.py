"""Where registrations outlive the process: the service's database, table ``registry_services``
(``records.py``). A restarted registry loads them and checks them again at once.

(Rendered without a database, this module keeps nothing beyond the process.)
"""

from loguru import logger
from pydantic import ValidationError
from sqlalchemy import delete, select

from ..db.database import Database
from ..db.feature import DatabaseFeature
from ..state import ServiceState
from .catalog import Saved
from .records import RegisteredService
from .schemas import Registration

# What storing may answer besides the registry's own statuses: the database is unreachable.
STORE_ERRORS = (503,)


class RegistrationStore:
    def __init__(self) -> None:
        self._database: Database | None = None

    def open(self, state: ServiceState) -> None:
        """Use the running app's database (open for the app's life)."""
        self._database = state.feature(DatabaseFeature).database

    @property
    def database(self) -> Database:
        if self._database is None:
            raise RuntimeError("the registration store is used before open()")
        return self._database

    async def load(self) -> list[Saved]:
        with self.database.unavailable_on_fault():
            async with self.database.sessions() as session:
                rows = await session.scalars(select(RegisteredService))
                records = list(rows)
        saved = []
        for record in records:
            try:
                registration = Registration.model_validate(record.registration)
            except ValidationError as error:
                # Left in the table: the instance's next registration replaces it.
                logger.warning("Stored registration {} is not valid now: {}", record.id, error)
                continue
            saved.append(Saved(record.id, registration, record.registered_at))
        return saved

    async def save(self, saved: Saved) -> None:
        record = RegisteredService(
            id=saved.id,
            registration=saved.registration.model_dump(mode="json"),
            registered_at=saved.registered_at,
        )
        with self.database.unavailable_on_fault():
            async with self.database.sessions() as session, session.begin():
                await session.merge(record)

    async def delete(self, service_id: str) -> None:
        with self.database.unavailable_on_fault():
            async with self.database.sessions() as session, session.begin():
                await session.execute(
                    delete(RegisteredService).where(RegisteredService.id == service_id)
                )
