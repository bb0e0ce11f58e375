"""The tests' Kafka broker, a pytest plugin (conftest.py loads it): one broker for the session,
and a topic of its own for each test, so no test reads another's events.

Tansu grants no producer ids, so the tests run without the idempotent producer
(``KAFKA_IDEMPOTENT=false``); the service keeps it on by default, for Kafka.
"""

import uuid
from collections.abc import Iterator

import pytest

from support.kafka import Broker, running_broker


@pytest.fixture(scope="session", autouse=True)
def kafka_broker() -> Iterator[Broker]:
    with pytest.MonkeyPatch.context() as environment, running_broker() as broker:
        environment.setenv("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrap)
        environment.setenv("KAFKA_IDEMPOTENT", "false")
        yield broker


@pytest.fixture(autouse=True)
def events_topic(monkeypatch: pytest.MonkeyPatch) -> str:
    topic = f"test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("EVENTS_TOPIC", topic)
    return topic
