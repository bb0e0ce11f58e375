"""The archive scenario: events read from Kafka (Tansu, on loopback) and stored in S3 (moto's
server, on loopback) by the service rendered with ``event_archive=s3``, its own process
(``python -m <package> archive``), against a bare consumer reading the same events and storing
nothing (the broker's side of the limit).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3

from .servers import free_port

ANSWERS = ("event_broker=kafka", "event_archive=s3")
EVENTS = 20_000
LIMIT_SECONDS = 300.0
CREDENTIALS = {"aws_access_key_id": "bench", "aws_secret_access_key": "bench"}

# Run by the rendered project's interpreter: the service's own publisher fills the topic.
PUBLISH = """
import asyncio, sys
from {package}.events.envelope import new_event
from {package}.events.kafka import Kafka
from {package}.events.publisher import Publisher

async def main(topic: str, count: int) -> None:
    publisher = Publisher(Kafka(30.0), 30.0)
    async with publisher.running():
        for start in range(0, count, 500):
            await publisher.publish(topic, [
                new_event(("item.created", "item.updated")[n % 2], str(n % 100), {{"n": n}},
                          "bench").message()
                for n in range(start, min(count, start + 500))
            ])

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""
# The same events read by a bare aiokafka consumer, from its first record to the last.
CONSUME = """
import asyncio, sys, time, uuid
from aiokafka import AIOKafkaConsumer

async def main(bootstrap: str, topic: str, count: int) -> None:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                group_id=f"bench-{uuid.uuid4().hex[:8]}", enable_auto_commit=False)
    await consumer.start()
    seen, started = 0, None
    try:
        while seen < count:
            batches = await consumer.getmany(timeout_ms=1000, max_records=10_000)
            for records in batches.values():
                started = started or time.perf_counter()
                seen += len(records)
        await consumer.commit()
    finally:
        await consumer.stop()
    print(time.perf_counter() - started)

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
"""


@contextmanager
def s3_server() -> Iterator[str]:
    """moto's S3 as a server of its own: its endpoint."""
    port = free_port()
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(endpoint, timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("moto's server did not start") from None
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        process.wait()


def archived(endpoint: str) -> Any:
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS)


def counter(url: str, name: str) -> float:
    """A metric of the archive's /metrics (-1 while it does not answer)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            text = answer.read().decode()
    except OSError:
        return -1.0
    found = re.search(rf"^{name} (\S+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else -1.0


def measure(
    python: Path,
    package: str,
    folder: Path,
    bootstrap: str,
    endpoint: str,
    production: dict[str, str],
) -> dict[str, Any]:
    """Fill a topic, then time the archive storing it (from its first event held to the last
    stored) and a bare consumer reading it."""
    topic = f"bench-{uuid.uuid4().hex[:8]}"
    bucket = f"bench-{uuid.uuid4().hex[:8]}"
    s3 = archived(endpoint)
    s3.create_bucket(Bucket=bucket)
    broker = {"KAFKA_BOOTSTRAP_SERVERS": bootstrap, "KAFKA_IDEMPOTENT": "false"}
    publish = [str(python), "-c", PUBLISH.format(package=package), topic, str(EVENTS)]
    subprocess.run(publish, check=True, env=broker, capture_output=True)

    metrics = free_port()
    environment = {
        **production,
        **broker,
        "EVENTS_TOPIC": topic,
        "ARCHIVE_BUCKET": bucket,
        "ARCHIVE_S3_ENDPOINT_URL": endpoint,
        "ARCHIVE_S3_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
        "ARCHIVE_S3_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
        "ARCHIVE_METRICS_PORT": str(metrics),
        "ARCHIVE_MAX_SECONDS": "1",
    }
    log = (folder / "archive.log").open("wb")
    process = subprocess.Popen(
        [str(python), "-m", package, "archive"], env=environment, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{metrics}/metrics"
    try:
        deadline = time.monotonic() + LIMIT_SECONDS
        started = None
        while counter(url, "archive_events_total") < EVENTS:
            if started is None and (
                counter(url, "archive_events_held") > 0 or counter(url, "archive_events_total") > 0
            ):
                started = time.perf_counter()
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"the archive did not store the events (see {log.name})")
            time.sleep(0.02)
        seconds = time.perf_counter() - (started or time.perf_counter())
    finally:
        process.terminate()
        process.wait()
        log.close()

    objects = [
        entry
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        for entry in page.get("Contents", [])
    ]
    consume = [str(python), "-c", CONSUME, bootstrap, topic, str(EVENTS)]
    bare = float(subprocess.run(consume, check=True, capture_output=True, text=True).stdout)
    return {
        "events": EVENTS,
        "events_per_second": EVENTS / seconds,
        "objects": len(objects),
        "stored_bytes": sum(entry["Size"] for entry in objects),
        "bare_events_per_second": EVENTS / bare,
    }
