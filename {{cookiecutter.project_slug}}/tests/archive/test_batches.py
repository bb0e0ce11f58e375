"""Events grouped into the archive's objects, and their names."""

import gzip
import re
from datetime import datetime

from {{ cookiecutter.package_name }}.archive.batches import UNREADABLE, Batches, Received
from {{ cookiecutter.package_name }}.events.envelope import Event, new_event


def received(event: Event, partition: str, position: int) -> Received:
    return Received(event.message().payload, partition, str(position))


def at(event: Event, time: str) -> Event:
    return event.model_copy(update={"time": datetime.fromisoformat(time)})


def test_one_object_per_type_hour_and_partition_named_by_positions() -> None:
    created = new_event("item.created", "1", {}, "test")
    deleted = new_event("item.deleted", "1", {}, "test")
    batches = Batches("events")
    for position, (event, partition) in enumerate(
        [
            (at(created, "2026-12-01T10:59:59Z"), "0"),
            (at(created, "2026-12-01T10:00:00Z"), "0"),
            (at(created, "2026-12-01T11:00:00Z"), "0"),  # the next hour
            (at(created, "2026-12-01T10:30:00Z"), "1"),  # another partition
            (at(deleted, "2026-12-01T10:30:00+02:00"), "0"),  # 08:30 UTC
        ]
    ):
        batches.add(received(event, partition, position))

    objects = {archived.key: archived for archived in batches.objects()}

    assert set(objects) == {
        "events/item.created/dt=2026-12-01/hour=10/0-0-1.jsonl.gz",
        "events/item.created/dt=2026-12-01/hour=11/0-2-2.jsonl.gz",
        "events/item.created/dt=2026-12-01/hour=10/1-3-3.jsonl.gz",
        "events/item.deleted/dt=2026-12-01/hour=08/0-4-4.jsonl.gz",
    }
    assert objects["events/item.created/dt=2026-12-01/hour=10/0-0-1.jsonl.gz"].count == 2
    assert batches.count == 5


def test_an_object_holds_the_envelopes_as_published_one_per_line() -> None:
    events = [new_event("item.created", str(n), {"n": n}, "test") for n in range(3)]
    batches = Batches("a/b")
    for position, event in enumerate(events):
        batches.add(received(event, "0", position))

    [archived] = batches.objects()

    lines = gzip.decompress(archived.body).splitlines()
    assert lines == [event.message().payload for event in events]
    assert archived.key.startswith("a/b/item.created/")
    assert batches.size == sum(len(line) + 1 for line in lines)


def test_what_is_not_an_envelope_is_kept_apart() -> None:
    batches = Batches("events")
    for position, payload in enumerate(
        [b"\xff not json", b"[]", b'{"type": "x"}', b'{"type": 1, "time": "2026-12-01T10:00:00Z"}']
    ):
        batches.add(Received(payload, "0", str(position)))
    batches.add(Received(b'{"type": "../../etc", "time": "2026-12-01T10:00:00Z"}', "0", "4"))

    objects = {archived.key: archived.count for archived in batches.objects()}

    [unreadable] = [key for key in objects if f"/{UNREADABLE}/" in key]
    assert re.fullmatch(rf"events/{UNREADABLE}/dt=[\d-]+/hour=\d\d/0-0-3\.jsonl\.gz", unreadable)
    assert objects[unreadable] == 4
    # A type is a name, never a path.
    assert objects["events/.._.._etc/dt=2026-12-01/hour=10/0-4-4.jsonl.gz"] == 1


def test_clear_forgets_what_was_held() -> None:
    batches = Batches("events")
    batches.add(received(new_event("item.created", "1", {}, "test"), "0", 0))

    batches.clear()

    assert (batches.objects(), batches.count, batches.size, batches.oldest) == ([], 0, 0, None)
