"""How a request's events reach the broker without a database: published at once, within
``EVENTS_PUBLISH_TIMEOUT``, after the change. Nothing makes the change and its event atomic: if
the broker is away or the process dies in between, the event is lost (logged and counted).

(Rendered with a database, this module writes events to an outbox table in the change's own
transaction instead, and a relay publishes them.)
"""

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from loguru import logger

from ..services.events import Events
from ..state import ServiceState
from .envelope import new_event
from .publisher import Publisher, PublishError
from .sending import send
from .settings import EventSettings


class DirectEvents:
    def __init__(self, publisher: Publisher[Any], settings: EventSettings) -> None:
        self._publisher = publisher
        self._settings = settings

    async def record(self, type: str, subject: str, data: Mapping[str, Any]) -> None:  # noqa: A002
        event = new_event(type, subject, data, self._settings.source)
        try:
            await send(self._publisher, self._settings.topic, [event.message()])
        except PublishError as error:
            logger.error("Event {} ({}) lost: {}", event.id, type, error)


class Delivery:
    def __init__(self, publisher: Publisher[Any], settings: EventSettings) -> None:
        self._events = DirectEvents(publisher, settings)

    def events(self, session: object = None) -> Events:
        return self._events

    @asynccontextmanager
    async def running(self, state: ServiceState) -> AsyncIterator[None]:
        """Nothing runs in the background: each request publishes its own events."""
        yield
