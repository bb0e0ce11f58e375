"""The registered instances and their health, in this process's memory, which every request
reads; each change is written to the store first (``store.py``), so that a registration the
registry confirmed is one a restarted registry still has, where the store keeps anything.
"""

import asyncio
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import NamedTuple, Protocol

from . import metrics
from .health import HealthState
from .schemas import Registration, Service, Status


@dataclass
class Entry:
    id: str
    registration: Registration
    registered_at: datetime
    health: HealthState

    def as_service(self) -> Service:
        # Built without validation: every part was validated on its way in.
        return Service.model_construct(
            id=self.id,
            registered_at=self.registered_at,
            health=self.health.as_schema(),
            **dict(self.registration),
        )


class Saved(NamedTuple):
    """A registration as the store keeps it: its health is learnt again by checking."""

    id: str
    registration: Registration
    registered_at: datetime


class Store(Protocol):
    """Where registrations outlive the process (``store.py``)."""

    async def load(self) -> list[Saved]: ...

    async def save(self, saved: Saved) -> None: ...

    async def delete(self, service_id: str) -> None: ...


class Change(Enum):
    CREATED = "created"
    REPLACED = "replaced"  # a different registration under the same id: checked anew
    UNCHANGED = "unchanged"  # the same registration again (a client's refresh): health kept


class Catalog:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._entries: dict[str, Entry] = {}
        # One change at a time, store and memory together, so that they cannot disagree.
        self._changing = asyncio.Lock()

    async def put(self, service_id: str, registration: Registration) -> tuple[Entry, Change]:
        """Register ``registration`` under ``service_id``: idempotent, create or replace."""
        async with self._changing:
            current = self._entries.get(service_id)
            if current is not None and current.registration == registration:
                return current, Change.UNCHANGED
            saved = Saved(service_id, registration, datetime.now(UTC))
            await self.store.save(saved)
            entry = self._entries[service_id] = self._entry(saved)
        self.count()
        return entry, Change.CREATED if current is None else Change.REPLACED

    async def restore(self) -> list[Entry]:
        """Put back what the store kept, except ids registered since (they are newer); the
        entries put back, unchecked."""
        async with self._changing:
            restored = [
                self._entry(saved)
                for saved in await self.store.load()
                if saved.id not in self._entries
            ]
            self._entries.update((entry.id, entry) for entry in restored)
        self.count()
        return restored

    @staticmethod
    def _entry(saved: Saved) -> Entry:
        return Entry(*saved, health=HealthState(time.monotonic()))

    def get(self, service_id: str) -> Entry | None:
        return self._entries.get(service_id)

    async def remove(self, service_id: str, entry: Entry | None = None) -> Entry | None:
        """Remove the instance (only if it still is ``entry``, when given); what was removed."""
        async with self._changing:
            current = self._entries.get(service_id)
            if current is None or (entry is not None and current is not entry):
                return None
            await self.store.delete(service_id)
            del self._entries[service_id]
        self.count()
        return current

    def find(
        self, name: str | None = None, tags: Iterable[str] = (), status: Status | None = None
    ) -> Iterator[Entry]:
        """The instances with this name, every one of these tags and this status, by id."""
        wanted = set(tags)
        for service_id in sorted(self._entries):
            entry = self._entries[service_id]
            if name is not None and entry.registration.name != name:
                continue
            if status is not None and entry.health.status is not status:
                continue
            if wanted and not wanted.issubset(entry.registration.tags):
                continue
            yield entry

    def count(self) -> None:
        """Bring the services-by-status gauge up to date (after any change of status)."""
        metrics.count_services(Counter(entry.health.status for entry in self._entries.values()))

    def __len__(self) -> int:
        return len(self._entries)
