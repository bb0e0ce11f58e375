"""The events tests' broker, a pytest plugin (conftest.py loads it): one for the session, with
the service pointed at it, and a topic of its own for each test, so no test reads another's
events (``support/broker.py`` says what that is for the chosen broker)."""

import uuid
from collections.abc import Iterator

import pytest

from support.broker import session_broker
from support.events import EventBroker


@pytest.fixture(scope="session", autouse=True)
def broker() -> Iterator[EventBroker]:
    with pytest.MonkeyPatch.context() as environment, session_broker() as broker:
        for name, value in broker.environment.items():
            environment.setenv(name, value)
        yield broker


@pytest.fixture(autouse=True)
def events_topic(monkeypatch: pytest.MonkeyPatch, broker: EventBroker) -> Iterator[str]:
    topic = f"test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("EVENTS_TOPIC", topic)
    broker.open_topic(topic)
    try:
        yield topic
    finally:
        broker.close_topic(topic)
