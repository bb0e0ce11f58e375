"""The registered instances and their health, in this process's memory: a restarted registry
starts empty, and its clients register again (they refresh their registration on a schedule)."""

import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum

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


class Change(Enum):
    CREATED = "created"
    REPLACED = "replaced"  # a different registration under the same id: checked anew
    UNCHANGED = "unchanged"  # the same registration again (a client's refresh): health kept


class Catalog:
    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}

    def put(self, service_id: str, registration: Registration) -> tuple[Entry, Change]:
        """Register ``registration`` under ``service_id``: idempotent, create or replace."""
        current = self._entries.get(service_id)
        if current is not None and current.registration == registration:
            return current, Change.UNCHANGED
        entry = Entry(service_id, registration, datetime.now(UTC), HealthState(time.monotonic()))
        self._entries[service_id] = entry
        self.count()
        return entry, Change.CREATED if current is None else Change.REPLACED

    def get(self, service_id: str) -> Entry | None:
        return self._entries.get(service_id)

    def remove(self, service_id: str, entry: Entry | None = None) -> Entry | None:
        """Remove the instance (only if it still is ``entry``, when given); what was removed."""
        current = self._entries.get(service_id)
        if current is None or (entry is not None and current is not entry):
            return None
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
