"""Where registrations outlive the process: nowhere. A restarted registry starts empty, and its
clients register again on their next refresh.

(Rendered with a database, this module keeps them in a table instead.)
"""

from ..state import ServiceState
from .catalog import Saved

# What storing may answer besides the registry's own statuses: nothing, memory is always there.
STORE_ERRORS: tuple[int, ...] = ()


class RegistrationStore:
    def open(self, state: ServiceState) -> None:
        """Nothing to open."""

    async def load(self) -> list[Saved]:
        return []

    async def save(self, saved: Saved) -> None:
        """Kept in the catalog's memory only."""

    async def delete(self, service_id: str) -> None:
        """Kept in the catalog's memory only."""
