"""The archive as a feature: no part in the API; the command that runs it, as its own process
(``python -m {{ cookiecutter.package_name }} archive``), until SIGTERM or SIGINT."""

import argparse
import asyncio
import signal
from collections.abc import Callable, Sequence

import prometheus_client

from ..config import load
from ..events.settings import EventSettings
from ..feature import Command, Feature
from .archiver import Archiver, Source
from .settings import ArchiveSettings
from .store import S3Store


class EventArchive(Feature):
    name = "archive"

    def __init__(
        self,
        source: Callable[[ArchiveSettings, EventSettings], Source],
        settings: ArchiveSettings | None = None,
    ) -> None:
        """``source``: the chosen broker's consumer (``kafka.KafkaSource``, say)."""
        self.settings: ArchiveSettings = settings or load(ArchiveSettings)
        self._source = source

    def archiver(self) -> Archiver:
        source = self._source(self.settings, load(EventSettings))
        return Archiver(source, S3Store(self.settings), self.settings)

    def commands(self) -> Sequence[Command]:
        return [
            Command(
                "archive",
                "archive the events to S3 until stopped (a process of its own)",
                run=self._archive,
            )
        ]

    def _archive(self, arguments: argparse.Namespace) -> None:
        asyncio.run(archive_until_stopped(self.archiver(), self.settings.metrics_port))


async def archive_until_stopped(archiver: Archiver, metrics_port: int) -> None:
    """Serves its metrics once subscribed (so they answer when it consumes); stops on SIGTERM
    or SIGINT, storing what it holds first (bounded)."""
    loop = asyncio.get_running_loop()
    for stop in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(stop, archiver.stop)
    running = asyncio.create_task(archiver.run())
    subscribed = asyncio.create_task(archiver.subscribed.wait())
    await asyncio.wait([running, subscribed], return_when=asyncio.FIRST_COMPLETED)
    subscribed.cancel()
    if metrics_port and not running.done():
        prometheus_client.start_http_server(metrics_port)
    await running
