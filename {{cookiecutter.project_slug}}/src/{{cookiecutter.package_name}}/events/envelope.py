"""The envelope of every event: what happened (``type``), to what (``subject``, the aggregate's
id and the partition key, so one subject's events stay in order), where (``source``), when,
and the event's own ``id``, by which consumers drop what they have seen."""

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from ..context import trace_context


class Event(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: uuid.UUID = Field(description="Unique per event: consumers deduplicate by it.")
    type: str = Field(description="What happened: item.created, item.updated, ...")
    source: str = Field(description="The service that told it.")
    time: datetime = Field(description="When it happened (UTC).")
    subject: str = Field(description="What it happened to: the aggregate's id, the key.")
    data: dict[str, Any] = Field(description="The event's own content.")
    traceparent: str | None = Field(
        default=None, description="W3C trace context of the request that caused it."
    )

    def message(self) -> "Message":
        payload = self.model_dump_json(exclude_none=True).encode()
        return Message(str(self.id), self.type, self.subject, payload)


class Message(NamedTuple):
    """An event as it goes to the broker: its encoded envelope, and what the broker's headers
    and key carry (so consumers can route without decoding)."""

    id: str
    type: str
    subject: str
    payload: bytes


def new_event(type: str, subject: str, data: Mapping[str, Any], source: str) -> Event:  # noqa: A002
    """An event happening now, in the trace of the request that caused it (when it is traced)."""
    return Event(
        id=uuid.uuid4(),
        type=type,
        source=source,
        time=datetime.now(UTC),
        subject=subject,
        data=dict(data),
        traceparent=trace_context.get(),
    )
