"""The broker the events tests talk to: Kafka, a Tansu broker the session starts on a loopback
port (``kafka.py``), with a topic per test (made on first use, gone with the broker).

Tansu grants no producer ids, so the tests run without the idempotent producer
(``KAFKA_IDEMPOTENT=false``); the service keeps it on by default, for Kafka.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from {{ cookiecutter.package_name }}.events.kafka import Kafka

from .events import Delivered, EventBroker
from .kafka import Broker, consumed
from .servers import free_port

BROKER = Kafka  # the service's client for it


class KafkaEvents:
    def __init__(self, broker: Broker) -> None:
        self.broker = broker
        self.environment = {
            "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap,
            "KAFKA_IDEMPOTENT": "false",
        }

    def consumed(self, topic: str, count: int, seconds: float = 30.0) -> list[Delivered]:
        records = consumed(self.broker.bootstrap, topic, count, seconds)
        return [
            Delivered(
                id=dict(record.headers)["id"].decode(),
                type=dict(record.headers)["type"].decode(),
                subject=record.key.decode(),
                payload=record.value,
            )
            for record in records
        ]

    def open_topic(self, topic: str) -> None:
        """Nothing to do: Kafka makes a topic on first use."""

    def close_topic(self, topic: str) -> None:
        """Nothing to do: the topic goes with the session's broker."""


@contextmanager
def session_broker() -> Iterator[KafkaEvents]:
    broker = Broker()
    broker.start()
    try:
        yield KafkaEvents(broker)
    finally:
        broker.stop()


class KafkaAway:
    def __init__(self) -> None:
        self.broker = Broker()  # not started yet
        self.environment = KafkaEvents(self.broker).environment

    def back(self) -> KafkaEvents:
        self.broker.start()
        return KafkaEvents(self.broker)


@contextmanager
def broker_away(session: EventBroker) -> Iterator[KafkaAway]:
    """A broker of its own, started by ``back()`` (so, empty)."""
    away = KafkaAway()
    try:
        yield away
    finally:
        away.broker.stop()


def unreachable() -> dict[str, str]:
    """Variables that point the service at a broker that is not there."""
    return {"KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}", "KAFKA_IDEMPOTENT": "false"}
