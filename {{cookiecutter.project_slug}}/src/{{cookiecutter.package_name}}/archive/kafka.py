"""The archive's consumer for Kafka: a consumer group (``ARCHIVE_GROUP``) on ``EVENTS_TOPIC``,
offsets committed only once what was read is stored. A new group starts from the topic's
earliest events; several archivers of one group share its partitions."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress

from aiokafka import AIOKafkaConsumer, TopicPartition

from ..config import load
from ..events.kafka import KafkaSettings
from ..events.settings import EventSettings
from .batches import Received
from .settings import ArchiveSettings


class KafkaSource:
    def __init__(self, settings: ArchiveSettings, events: EventSettings) -> None:
        self.settings = settings
        self.events = events
        self.kafka = load(KafkaSettings)
        self._consumer: AIOKafkaConsumer | None = None
        self._next: dict[TopicPartition, int] = {}  # the offsets to commit

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        consumer = AIOKafkaConsumer(
            self.events.topic,
            bootstrap_servers=self.kafka.bootstrap_servers,
            client_id=f"{self.kafka.client_id}-archive",
            group_id=self.settings.group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=self.settings.max_events,
            metadata_max_age_ms=10_000,  # sees a topic made after it subscribed
        )
        try:
            await consumer.start()
        except BaseException:
            with suppress(Exception):  # a failed start leaves its connections open otherwise
                await consumer.stop()
            raise
        self._consumer = consumer
        try:
            yield
        finally:
            self._consumer = None
            await consumer.stop()

    async def receive(self, wait: float) -> Sequence[Received]:
        if self._consumer is None:
            raise RuntimeError("the consumer is not running")
        batches = await self._consumer.getmany(timeout_ms=int(wait * 1000))
        received = []
        for partition, records in batches.items():
            received += [
                Received(record.value or b"", str(partition.partition), str(record.offset))
                for record in records
            ]
            self._next[partition] = records[-1].offset + 1
        return received

    async def acknowledge(self) -> None:
        if self._consumer is not None and self._next:
            await self._consumer.commit(dict(self._next))
        self._next.clear()
