"""How a request's events reach the broker with a database: written to the outbox table in the
request's own transaction (kept with the change, or rolled back with it), then published by the
relay running in each worker (``outbox.py``).

(Rendered without a database, this module publishes each event at once instead.)
"""

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager, suppress
from typing import Any

import sqlalchemy.event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from ..config import load
from ..db.feature import DatabaseFeature
from ..services.events import Events
from ..state import ServiceState
from .envelope import new_event
from .outbox import Relay, RelaySettings
from .outbox_row import write_row
from .publisher import Publisher
from .settings import EventSettings


class OutboxEvents:
    def __init__(self, session: AsyncSession, settings: EventSettings, relay: Relay) -> None:
        self._session = session
        self._settings = settings
        self._relay = relay

    async def record(self, type: str, subject: str, data: Mapping[str, Any]) -> None:  # noqa: A002
        event = new_event(type, subject, data, self._settings.source)
        await write_row(self._session, event.id, event.message())
        # Published as soon as it is committed, rather than at the relay's next look.
        self._session.info[WAKE_ON_COMMIT] = self._relay.wake


WAKE_ON_COMMIT = "events: wake the relay"


@sqlalchemy.event.listens_for(Session, "after_commit")
def _wake_relay(session: Session) -> None:
    """Every session's commit (one check; registering a listener per session costs more)."""
    wake = session.info.pop(WAKE_ON_COMMIT, None)
    if wake is not None:
        wake()


class Delivery:
    def __init__(self, publisher: Publisher[Any], settings: EventSettings) -> None:
        self._settings = settings
        self._relay = Relay(publisher, settings.topic, load(RelaySettings))

    def events(self, session: AsyncSession) -> Events:
        return OutboxEvents(session, self._settings, self._relay)

    @asynccontextmanager
    async def running(self, state: ServiceState) -> AsyncIterator[None]:
        """The relay runs in this worker while the app does."""
        database = state.feature(DatabaseFeature).database
        task = asyncio.create_task(self._relay.run(database), name="outbox relay")
        try:
            yield
        finally:
            # Let it finish its round: cancelled mid-transaction, SQLite would stay locked.
            self._relay.stop()
            with suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(task, self._settings.publish_timeout * 2)
