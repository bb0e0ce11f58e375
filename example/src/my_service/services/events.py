"""What the services tell the rest of the world: domain events (``item.created``, ...), each
about one subject (the aggregate's id), recorded as part of the change that caused it.

Without the events option nothing is recorded; with it, ``events/`` delivers them to a broker.
"""

from collections.abc import Mapping
from typing import Any, Protocol


class Events(Protocol):
    async def record(self, type: str, subject: str, data: Mapping[str, Any]) -> None:  # noqa: A002 (the envelope's name)
        """Record that ``type`` happened to ``subject``: delivered once the change is kept."""
        ...


class NoEvents:
    async def record(self, type: str, subject: str, data: Mapping[str, Any]) -> None:  # noqa: A002
        """Nothing listens."""


NO_EVENTS = NoEvents()
