import json
import uuid
from datetime import UTC, datetime

from {{ cookiecutter.package_name }}.events.envelope import Event, new_event


def test_a_new_event_has_its_own_id_and_the_time_it_happened() -> None:
    before = datetime.now(UTC)
    first = new_event("item.created", "7", {"id": 7}, "catalog")
    second = new_event("item.created", "7", {"id": 7}, "catalog")

    assert first.id != second.id
    assert isinstance(first.id, uuid.UUID)
    assert before <= first.time <= datetime.now(UTC)
    assert (first.type, first.subject, first.source, first.data) == (
        "item.created",
        "7",
        "catalog",
        {"id": 7},
    )


def test_the_message_carries_the_envelope_and_routes_by_subject() -> None:
    event = new_event("item.updated", "42", {"id": 42, "name": "lamp"}, "catalog")

    message = event.message()

    assert (message.id, message.type, message.subject) == (str(event.id), "item.updated", "42")
    envelope = json.loads(message.payload)
    assert set(envelope) == {"id", "type", "source", "time", "subject", "data"}  # no null trace
    assert Event.model_validate(envelope) == event
