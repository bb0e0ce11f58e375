"""The publisher against the real broker, without it, and when it comes back."""

import asyncio
import time
from collections.abc import Mapping
from typing import Any

import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.events.envelope import Message, new_event
from {{ cookiecutter.package_name }}.events.publisher import Publisher, PublishError
from {{ cookiecutter.package_name }}.main import create_app

from support.broker import BROKER, broker_away, unreachable
from support.events import EventBroker


def publisher(
    monkeypatch: pytest.MonkeyPatch, environment: Mapping[str, str], timeout: float = 2.0
) -> Publisher[Any]:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return Publisher(BROKER(timeout), timeout)


def messages(count: int) -> list[Message]:
    """Events of two subjects, interleaved."""
    return [new_event("item.created", str(n % 2), {"n": n}, "test").message() for n in range(count)]


def test_events_arrive_in_order_with_their_type_subject_and_id(
    monkeypatch: pytest.MonkeyPatch, broker: EventBroker, events_topic: str
) -> None:
    sent = messages(6)

    async def publish() -> int:
        client = publisher(monkeypatch, broker.environment)
        async with client.running():
            return await client.publish(events_topic, sent)

    assert asyncio.run(publish()) == len(sent)
    delivered = broker.consumed(events_topic, len(sent))

    for subject in ("0", "1"):  # one subject's events in the order they were published
        expected = [message for message in sent if message.subject == subject]
        received = [event for event in delivered if event.subject == subject]
        assert [event.payload for event in received] == [message.payload for message in expected]
        assert [event.id for event in received] == [message.id for message in expected]
    assert {event.type for event in delivered} == {"item.created"}


def test_without_a_broker_a_publish_fails_within_its_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def publish() -> float:
        client = publisher(monkeypatch, unreachable(), timeout=0.5)
        async with client.running():
            started = time.monotonic()
            with pytest.raises(PublishError) as failure:
                await client.publish("nowhere", messages(1))
            assert failure.value.acknowledged == 0
            return time.monotonic() - started

    assert asyncio.run(publish()) < 1.5


def test_a_broker_that_comes_back_is_connected_to_in_the_background(
    monkeypatch: pytest.MonkeyPatch, broker: EventBroker, events_topic: str
) -> None:
    sent = messages(3)

    with broker_away(broker) as away:

        async def publish() -> tuple[int, EventBroker]:
            client = publisher(monkeypatch, away.environment, timeout=1.0)
            async with client.running():
                with pytest.raises(PublishError):
                    await client.publish(events_topic, sent)
                back = await asyncio.to_thread(away.back)
                # The publisher retries on its own (backoff from half a second).
                deadline = time.monotonic() + 30
                while True:
                    try:
                        return await client.publish(events_topic, sent), back
                    except PublishError:
                        assert time.monotonic() < deadline, "never connected"
                        await asyncio.sleep(0.2)

        published, back = asyncio.run(publish())
        delivered = back.consumed(events_topic, len(sent))

    assert published == len(sent)
    assert sorted(event.id for event in delivered) == sorted(message.id for message in sent)


def test_the_service_starts_without_its_broker_and_is_not_ready(
    monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    for name, value in unreachable().items():
        monkeypatch.setenv(name, value)
    started = time.monotonic()
    with TestClient(create_app(settings)) as client:
        startup = time.monotonic() - started
        live = client.get("/health/live")
        ready = client.get("/health/ready")

    assert startup < 5
    assert live.status_code == 200
    assert ready.status_code == 503
    assert ready.json()["checks"]["broker"] != "ok"
