import contextvars
import json
import uuid
from datetime import UTC, datetime

from {{ cookiecutter.package_name }}.context import trace_context
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


def test_an_event_of_a_traced_request_carries_its_trace_context() -> None:
    traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    def in_a_traced_request() -> Event:
        trace_context.set(traceparent)  # as the tracing stage does
        return new_event("item.created", "7", {}, "catalog")

    event = contextvars.copy_context().run(in_a_traced_request)

    assert event.traceparent == traceparent
    assert json.loads(event.message().payload)["traceparent"] == traceparent
    assert new_event("item.created", "7", {}, "catalog").traceparent is None  # untraced
