"""Publishing, timed and counted by event type."""

import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

import prometheus_client

from . import metrics
from .envelope import Message
from .publisher import Publisher, PublishError


async def send(publisher: Publisher[Any], topic: str, messages: Sequence[Message]) -> None:
    """Publish ``messages`` in order; ``PublishError`` (saying how many the broker took) if it
    did not take them all."""
    started = time.perf_counter()
    try:
        acknowledged = await publisher.publish(topic, messages)
    except PublishError as error:
        count(messages[: error.acknowledged], metrics.PUBLISHED)
        count(messages[error.acknowledged :], metrics.FAILED)
        raise
    # Each waited about as long as the batch took (they went together).
    elapsed = time.perf_counter() - started
    for _ in range(acknowledged):
        metrics.PUBLISH_SECONDS.observe(elapsed)
    count(messages, metrics.PUBLISHED)


def count(messages: Sequence[Message], counter: prometheus_client.Counter) -> None:
    for event_type, number in Counter(message.type for message in messages).items():
        counter.labels(event_type).inc(number)
