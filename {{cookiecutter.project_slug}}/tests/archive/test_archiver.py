"""The archive against the real broker and S3 (moto, over HTTP): events stored by type and hour,
acknowledged only once stored, nothing lost while S3 is away or when the archive stops, and
what is not an event parked apart rather than stopping the archive."""

import asyncio
import json
import os
import re
import signal
import subprocess
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx2
import pytest

from {{ cookiecutter.package_name }}.archive.archiver import Archiver
from {{ cookiecutter.package_name }}.archive.batches import UNREADABLE
from {{ cookiecutter.package_name }}.archive.feature import EventArchive
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.events.envelope import Message, new_event
from {{ cookiecutter.package_name }}.events.publisher import Publisher
from {{ cookiecutter.package_name }}.features import enabled_features

from support.broker import BROKER, broker_away
from support.events import EventBroker
from support.s3 import S3
from support.servers import SERVICE_COMMAND, free_port
from support.waiting import eventually

KEY = re.compile(
    r"events/(?P<type>item\.(created|deleted))/dt=\d{4}-\d\d-\d\d/hour=\d\d/"
    r"(?P<partition>\d+)-(?P<first>[\w.-]+)-(?P<last>[\w.-]+)\.jsonl\.gz"
)


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Uploads due soon after the events arrive; retries and stops quick."""
    monkeypatch.setenv("ARCHIVE_MAX_SECONDS", "0.5")
    monkeypatch.setenv("ARCHIVE_UPLOAD_TIMEOUT", "2")
    monkeypatch.setenv("ARCHIVE_METRICS_PORT", "0")


def archiver() -> Archiver:
    """The service's archive, as its features build it from the environment."""
    [archive] = [f for f in enabled_features(Settings()) if isinstance(f, EventArchive)]
    return archive.archiver()


def events(count: int) -> list[Message]:
    """Of two types, about three subjects (keys) each."""
    kinds = ("item.created", "item.deleted")
    return [new_event(kinds[n % 2], str(n % 3), {"n": n}, "test").message() for n in range(count)]


async def publish(topic: str, messages: list[Message]) -> None:
    publisher: Publisher[Any] = Publisher(BROKER(5.0), 5.0)
    async with publisher.running():
        assert await publisher.publish(topic, messages) == len(messages)


async def archiving(
    archive: Archiver, then: Callable[[], Awaitable[None]], until: Callable[[], bool]
) -> None:
    """Run ``archive``; once it is subscribed, ``then()``; stop it once ``until()`` holds."""
    running = asyncio.create_task(archive.run())
    try:
        async with asyncio.timeout(60):
            await archive.subscribed.wait()
            await then()
            await asyncio.to_thread(eventually, until, 50)
    finally:
        archive.stop()
        await running


def archived_ids(s3: S3, bucket: str) -> list[str]:
    return [json.loads(line)["id"] for lines in s3.archived(bucket).values() for line in lines]


def test_events_are_archived_by_type_and_hour_and_acknowledged(
    s3: S3, archive_bucket: str, events_topic: str
) -> None:
    sent = events(10)
    asyncio.run(
        archiving(
            archiver(),
            then=lambda: publish(events_topic, sent),
            until=lambda: len(archived_ids(s3, archive_bucket)) >= len(sent),
        )
    )
    objects = s3.archived(archive_bucket)

    published = {message.id: index for index, message in enumerate(sent)}
    for key, lines in objects.items():
        name = KEY.fullmatch(key)
        assert name, key
        envelopes = [json.loads(line) for line in lines]
        assert {envelope["type"] for envelope in envelopes} == {name["type"]}
        for subject in {envelope["subject"] for envelope in envelopes}:  # in order per key
            order = [published[e["id"]] for e in envelopes if e["subject"] == subject]
            assert order == sorted(order)
    stored = [line for lines in objects.values() for line in lines]
    assert sorted(stored) == sorted(message.payload for message in sent)  # each exactly once

    # A second archive of the group resumes after what was acknowledged: one more event, and
    # nothing archived twice.
    later = events(1)
    asyncio.run(
        archiving(
            archiver(),
            then=lambda: publish(events_topic, later),
            until=lambda: len(archived_ids(s3, archive_bucket)) > len(sent),
        )
    )
    assert sorted(archived_ids(s3, archive_bucket)) == sorted(m.id for m in [*sent, *later])


def test_what_is_not_an_event_is_parked_and_the_archive_goes_on(
    s3: S3, archive_bucket: str, events_topic: str
) -> None:
    before, after = events(2), events(2)
    poison = Message(str(uuid.uuid4()), "item.created", "0", b"\xff not an envelope")
    sent = [*before, poison, *after]

    def stored() -> int:
        return sum(len(lines) for lines in s3.archived(archive_bucket).values())

    asyncio.run(
        archiving(
            archiver(),
            then=lambda: publish(events_topic, sent),
            until=lambda: stored() >= len(sent),
        )
    )
    objects = s3.archived(archive_bucket)

    [parked] = [key for key in objects if f"/{UNREADABLE}/" in key]
    assert objects.pop(parked) == [poison.payload]
    stored_events = [line for lines in objects.values() for line in lines]
    assert sorted(stored_events) == sorted(message.payload for message in [*before, *after])


def test_while_s3_is_away_nothing_is_acknowledged_and_nothing_is_lost(
    monkeypatch: pytest.MonkeyPatch, s3: S3, archive_bucket: str, events_topic: str
) -> None:
    sent = events(6)
    monkeypatch.setenv("ARCHIVE_S3_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    away = archiver()
    asyncio.run(
        archiving(
            away,
            then=lambda: publish(events_topic, sent),
            until=lambda: away.batches.count == len(sent),  # held, and failing to upload
        )
    )
    assert s3.archived(archive_bucket) == {}

    monkeypatch.setenv("ARCHIVE_S3_ENDPOINT_URL", s3.url)

    async def nothing() -> None:
        pass

    asyncio.run(
        archiving(
            archiver(),
            then=nothing,
            until=lambda: len(archived_ids(s3, archive_bucket)) >= len(sent),
        )
    )
    assert sorted(archived_ids(s3, archive_bucket)) == sorted(message.id for message in sent)


def test_the_archive_waits_for_its_broker(
    monkeypatch: pytest.MonkeyPatch,
    broker: EventBroker,
    s3: S3,
    archive_bucket: str,
    events_topic: str,
) -> None:
    sent = events(3)
    with broker_away(broker) as away:
        for name, value in away.environment.items():
            monkeypatch.setenv(name, value)
        archive = archiver()

        def stored() -> int:
            return len(archived_ids(s3, archive_bucket))

        async def scenario() -> None:
            running = asyncio.create_task(archive.run())
            try:
                await asyncio.sleep(1.5)  # failing to connect, and trying again
                assert not archive.subscribed.is_set()
                await asyncio.to_thread(away.back)
                async with asyncio.timeout(60):
                    await archive.subscribed.wait()
                    await publish(events_topic, sent)
                    await asyncio.to_thread(eventually, lambda: stored() >= len(sent), 50)
            finally:
                archive.stop()
                await running

        asyncio.run(scenario())

    assert sorted(archived_ids(s3, archive_bucket)) == sorted(message.id for message in sent)


def test_the_archive_command_stores_what_it_holds_when_stopped(
    s3: S3, archive_bucket: str, events_topic: str
) -> None:
    metrics = free_port()
    environment = {
        **os.environ,
        "ARCHIVE_MAX_SECONDS": "3600",  # held until the stop
        "ARCHIVE_METRICS_PORT": str(metrics),
    }
    process = subprocess.Popen(  # noqa: S603
        [*SERVICE_COMMAND, "archive"], env=environment, stdout=subprocess.DEVNULL
    )
    sent = events(5)
    try:

        def held() -> float:
            try:
                page = httpx2.get(f"http://127.0.0.1:{metrics}/metrics").text
            except httpx2.TransportError:
                return -1
            found = re.search(r"^archive_events_held (\S+)$", page, re.MULTILINE)
            return float(found.group(1)) if found else -1

        eventually(lambda: held() == 0, seconds=30)  # serving its metrics: subscribed
        asyncio.run(publish(events_topic, sent))
        eventually(lambda: held() == len(sent), seconds=30)
        assert s3.archived(archive_bucket) == {}
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()
        process.wait()

    assert sorted(archived_ids(s3, archive_bucket)) == sorted(message.id for message in sent)
