"""A response must start within ``REQUEST_TIMEOUT`` seconds; otherwise the handler is cancelled
and the client gets a 504 problem+json.

Cancelling runs the handler's cleanup: its database session rolls back and returns its
connection. Once the response has started (a stream, say) the clock stops: a timeout could only
cut it off.

One watchdog task checks the requests in flight a few times per timeout period, rather than a
timer per request: a timer (or ``asyncio.timeout()``) costs more per request than all the rest
of this middleware. A request is therefore cancelled up to a quarter period (at most 1 s) late.
"""

import asyncio
from http import HTTPStatus
from typing import Any

from loguru import logger
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import problem_response

Task = asyncio.Task[Any]


class TimeoutMiddleware:
    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds
        self.deadlines: dict[Task, float] = {}  # requests not yet answering, by event-loop time
        self.expired: set[Task] = set()
        self.watchdog: asyncio.Task[None] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        task = asyncio.current_task()
        if scope["type"] != "http" or task is None:
            await self.app(scope, receive, send)
            return

        loop = task.get_loop()
        self.deadlines[task] = loop.time() + self.seconds
        if self.watchdog is None or self.watchdog.done():
            self.watchdog = loop.create_task(self.watch())

        async def send_stopping_the_clock(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.deadlines.pop(task, None)
            await send(message)

        try:
            await self.app(scope, receive, send_stopping_the_clock)
        except asyncio.CancelledError:
            # Answer only for our own cancellation, and only if nobody else cancelled too
            # (a server shutting down, say): theirs must go on.
            if task not in self.expired or task.uncancel() > 0:
                raise
        else:
            return
        finally:
            self.deadlines.pop(task, None)
            self.expired.discard(task)
        logger.warning("{} {} timed out after {}s", scope["method"], scope["path"], self.seconds)
        detail = f"The request took longer than {self.seconds:g} seconds."
        await problem_response(scope["path"], HTTPStatus.GATEWAY_TIMEOUT, detail)(
            scope, receive, send
        )

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
