"""One publish, timed and counted by event type."""

import time

from . import metrics
from .envelope import Message
from .kafka import KafkaPublisher, PublishError


async def send(publisher: KafkaPublisher, topic: str, message: Message) -> None:
    """Publish ``message``; ``PublishError`` (counted) if the broker did not take it."""
    started = time.perf_counter()
    try:
        await publisher.publish(topic, message)
    except PublishError:
        metrics.FAILED.labels(message.type).inc()
        raise
    metrics.PUBLISH_SECONDS.observe(time.perf_counter() - started)
    metrics.PUBLISHED.labels(message.type).inc()
