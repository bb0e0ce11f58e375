"""Events as a feature: the broker's client for the app's life, in each worker, its readiness
check, and the delivery of the requests' events (``delivery.py``)."""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import Request

from ..config import load
from ..feature import Feature
from ..services.events import Events
from ..state import ServiceState, service_state
from .delivery import Delivery
from .publisher import Broker, Publisher
from .settings import EventSettings


class EventStreaming(Feature):
    name = "events"

    def __init__(
        self, broker: Callable[[float], Broker[Any]], settings: EventSettings | None = None
    ) -> None:
        """``broker``: the chosen broker's class (``kafka.Kafka``, say), given the timeout."""
        self.settings: EventSettings = settings or load(EventSettings)
        timeout = self.settings.publish_timeout
        self.publisher: Publisher[Any] = Publisher(broker(timeout), timeout)
        self.delivery = Delivery(self.publisher, self.settings)

    def lifespan(self, state: ServiceState) -> AbstractAsyncContextManager[None]:
        return self._running(state)

    @asynccontextmanager
    async def _running(self, state: ServiceState) -> AsyncIterator[None]:
        async with self.publisher.running():
            state.readiness.add_check("broker", self.publisher.ping)
            async with self.delivery.running(state):
                yield


def events_for(request: Request, session: Any = None) -> Events:
    """The events of one request (``session``: its database session, where there is one)."""
    return service_state(request).feature(EventStreaming).delivery.events(session)
