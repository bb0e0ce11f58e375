"""A response must start within ``REQUEST_TIMEOUT`` seconds; otherwise the handler is cancelled
and the client gets a 504 problem+json.

Cancelling runs the handler's cleanup: its database session rolls back and returns its
connection. Once the response has started (a stream, say) the clock stops: a timeout could only
cut it off.

One watchdog task checks the requests in flight a few times per timeout period, rather than a
timer per request: a timer (or ``asyncio.timeout()``) costs more per request than all the rest
of this stage. A request is therefore cancelled up to a quarter period (at most 1 s) late.
"""

import asyncio
from http import HTTPStatus
from typing import Any

from loguru import logger
from starlette.responses import Response

from ..context import Exchange
from ..errors import problem_response
from .stage import Headers, Stage

Task = asyncio.Task[Any]


class Timeout(Stage):
    name = "timeout"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadlines: dict[Task, float] = {}  # requests not yet answering, by event-loop time
        self.expired: set[Task] = set()
        self.watchdog: asyncio.Task[None] | None = None

    def on_request(self, exchange: Exchange) -> None:
        task = exchange.task = asyncio.current_task()
        if task is None:
            return
        loop = task.get_loop()
        self.deadlines[task] = loop.time() + self.seconds
        if self.watchdog is None or self.watchdog.done():
            self.watchdog = loop.create_task(self.watch())

    def on_response_start(self, exchange: Exchange, headers: Headers) -> None:
        self.forget(exchange.task)

    def on_error(self, exchange: Exchange, error: BaseException) -> Response | None:
        task = exchange.task
        # Answer only for our own cancellation, and only if nobody else cancelled too (a server
        # shutting down, say): theirs must go on.
        if not isinstance(error, asyncio.CancelledError) or task not in self.expired:
            return None
        if task is None or task.uncancel() > 0:
            return None
        logger.warning("{} {} timed out after {}s", exchange.method, exchange.path, self.seconds)
        detail = f"The request took longer than {self.seconds:g} seconds."
        return problem_response(exchange.path, HTTPStatus.GATEWAY_TIMEOUT, detail)

    def on_finish(self, exchange: Exchange) -> None:
        task = exchange.task
        self.forget(task)
        if task is not None:
            self.expired.discard(task)

    def forget(self, task: Task | None) -> None:
        """Stop the clock of ``task``."""
        if task is not None:
            self.deadlines.pop(task, None)

    async def watch(self) -> None:
        """Cancel the requests past their deadline; stop when none is in flight."""
        interval = min(1.0, self.seconds / 4)
        loop = asyncio.get_running_loop()
        while self.deadlines:
            await asyncio.sleep(interval)
            now = loop.time()
            for task, deadline in list(self.deadlines.items()):
                if deadline <= now:
                    del self.deadlines[task]
                    self.expired.add(task)
                    task.cancel()
