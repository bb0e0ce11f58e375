"""The broker's client against a real broker, and without one."""

import asyncio
import time

import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.events.envelope import new_event
from {{ cookiecutter.package_name }}.events.kafka import KafkaPublisher, KafkaSettings, PublishError
from {{ cookiecutter.package_name }}.main import create_app

from support.kafka import Broker, consumed
from support.servers import free_port


def publisher_for(bootstrap: str, timeout: float = 2.0) -> KafkaPublisher:
    settings = KafkaSettings(bootstrap_servers=bootstrap, idempotent=False)
    return KafkaPublisher(settings, timeout)


def test_events_are_published_keyed_by_subject_with_their_type_and_id(
    kafka_broker: Broker, events_topic: str
) -> None:
    events = [new_event("item.created", str(n % 2), {"n": n}, "test") for n in range(6)]

    async def publish() -> int:
        publisher = publisher_for(kafka_broker.bootstrap)
        async with publisher.running():
            return await publisher.publish(events_topic, [event.message() for event in events])

    assert asyncio.run(publish()) == len(events)
    records = consumed(kafka_broker.bootstrap, events_topic, len(events))

    for subject in ("0", "1"):
        sent = [event.message().payload for event in events if event.subject == subject]
        received = [record.value for record in records if record.key == subject.encode()]
        assert received == sent  # one subject's events in the order they were published
    headers = {dict(record.headers)["id"].decode(): dict(record.headers) for record in records}
    assert headers.keys() == {str(event.id) for event in events}
    assert all(header["type"] == b"item.created" for header in headers.values())


def test_without_a_broker_a_publish_fails_within_its_timeout() -> None:
    event = new_event("item.created", "1", {}, "test")

    async def publish() -> float:
        publisher = publisher_for(f"127.0.0.1:{free_port()}", timeout=0.5)
        async with publisher.running():
            started = time.monotonic()
            with pytest.raises(PublishError) as failure:
                await publisher.publish("nowhere", [event.message()])
            assert failure.value.acknowledged == 0
            return time.monotonic() - started

    assert asyncio.run(publish()) < 1.5


def test_the_service_starts_without_its_broker_and_is_not_ready(
    monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", f"127.0.0.1:{free_port()}")
    started = time.monotonic()
    with TestClient(create_app(settings)) as client:
        startup = time.monotonic() - started
        live = client.get("/health/live")
        ready = client.get("/health/ready")

    assert startup < 5
    assert live.status_code == 200
    assert ready.status_code == 503
    assert ready.json()["checks"]["broker"] != "ok"
