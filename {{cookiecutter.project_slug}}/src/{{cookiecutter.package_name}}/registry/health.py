"""A service's health, from its checks' results: the first result counts at once; after that the
status changes only when ``flip_after`` checks in a row agree on a new one, so one slow answer
does not take a healthy service out of the listings (nor one lucky answer put a sick one back).
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from .schemas import Health, Status


@dataclass
class HealthState:
    # Monotonic seconds since the status became critical: it starts critical, as Consul's checks
    # do, so a service that never answers is removed ``deregister_after`` its registration.
    critical_since: float
    status: Status = Status.CRITICAL
    output: str = "not checked yet"
    checked_at: datetime | None = None
    _checked: bool = field(default=False, repr=False)
    _pending: Status | None = field(default=None, repr=False)
    _streak: int = field(default=0, repr=False)

    def observe(self, result: Status, output: str, now: float, flip_after: int) -> bool:
        """Record one check's result at monotonic time ``now``; whether the status changed."""
        first, self._checked = not self._checked, True
        self.output, self.checked_at = output, datetime.now(UTC)
        if result is self.status:
            self._pending, self._streak = None, 0
            return False
        if not first:
            self._streak = self._streak + 1 if result is self._pending else 1
            self._pending = result
            if self._streak < flip_after:
                return False
        if result is Status.CRITICAL:
            self.critical_since = now
        self.status, self._pending, self._streak = result, None, 0
        return True

    def critical_for(self, now: float) -> float:
        """Seconds this service has been critical (0 when it is not)."""
        return now - self.critical_since if self.status is Status.CRITICAL else 0.0

    def as_schema(self) -> Health:
        return Health(status=self.status, checked_at=self.checked_at, output=self.output)
