"""Events grouped into the objects they are archived in: one per event type, hour (of the
event's time, UTC) and partition, named

    <prefix>/<type>/dt=YYYY-MM-DD/hour=HH/<partition>-<first position>-<last position>.jsonl.gz

where a position is where the broker keeps the event (an offset, a sequence, an entry id; the
event's id where the broker keeps none), so names never collide and tell what an object holds.
Each object holds the envelopes as published, one per line, gzip-compressed. A message that is
not an envelope is kept too, under ``_unreadable``, by the hour it arrived.
"""

import gzip
import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

UNREADABLE = "_unreadable"
COMPRESS_LEVEL = 6  # gzip's own default: near the smallest, several times quicker than 9


@dataclass(frozen=True)
class Received:
    """A message as the archive consumed it: the envelope as published, and where the broker
    keeps it."""

    payload: bytes
    partition: str
    position: str


@dataclass(frozen=True)
class ArchiveObject:
    key: str
    body: bytes  # gzip-compressed JSON Lines
    count: int


class Batches:
    """What is held until the next upload, grouped by object."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._groups: dict[tuple[str, str, str, str], list[Received]] = defaultdict(list)
        self.size = 0
        self.count = 0
        self.oldest: float | None = None  # when the first event held arrived (monotonic)

    def add(self, received: Received) -> None:
        event_type, when = _type_and_time(received.payload)
        group = (event_type, when.date().isoformat(), f"{when.hour:02d}", received.partition)
        self._groups[group].append(received)
        self.size += len(received.payload) + 1
        self.count += 1
        if self.oldest is None:
            self.oldest = time.monotonic()

    def objects(self) -> list[ArchiveObject]:
        return [
            ArchiveObject(
                f"{self.prefix}/{event_type}/dt={day}/hour={hour}/"
                f"{partition}-{held[0].position}-{held[-1].position}.jsonl.gz",
                gzip.compress(
                    b"".join(received.payload + b"\n" for received in held),
                    compresslevel=COMPRESS_LEVEL,
                ),
                len(held),
            )
            for (event_type, day, hour, partition), held in self._groups.items()
        ]

    def clear(self) -> None:
        self._groups.clear()
        self.size = self.count = 0
        self.oldest = None


def _type_and_time(payload: bytes) -> tuple[str, datetime]:
    """The event's type (as a safe name) and time; ``UNREADABLE`` and now for what is not an
    envelope."""
    try:
        envelope = json.loads(payload)
        event_type = _name_of(envelope["type"])
        when = datetime.fromisoformat(envelope["time"]).astimezone(UTC)
    except (ValueError, TypeError, KeyError):
        return UNREADABLE, datetime.now(UTC)
    return event_type, when


@lru_cache(maxsize=1024)  # a service tells few types, each many times
def _name_of(event_type: str) -> str:
    """The type as a name in a key, never a path (``ValueError`` when nothing is left)."""
    name = re.sub(r"[^A-Za-z0-9._-]", "_", event_type)
    if not name.strip("."):
        raise ValueError(f"no name in the type {event_type!r}")
    return name
