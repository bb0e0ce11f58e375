"""A response must start within ``REQUEST_TIMEOUT`` seconds; otherwise the handler is cancelled
and the client gets a 504 problem+json.

Cancelling runs the handler's cleanup: its database session rolls back and returns its
connection. Once the response has started (a stream, say) the clock stops: a timeout could only
cut it off.
"""

import asyncio
from http import HTTPStatus

from loguru import logger
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import problem_response


class TimeoutMiddleware:
    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        response_started = False
        deadline = asyncio.timeout(self.seconds)

        async def send_stopping_the_clock(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
                deadline.reschedule(None)
            await send(message)

        try:
            async with deadline:
                await self.app(scope, receive, send_stopping_the_clock)
        except TimeoutError:
            if not deadline.expired() or response_started:
                raise  # not ours (a driver's own timeout), or too late for another response
            logger.warning(
                "{} {} timed out after {}s", scope["method"], scope["path"], self.seconds
            )
            detail = f"The request took longer than {self.seconds:g} seconds."
            await problem_response(scope["path"], HTTPStatus.GATEWAY_TIMEOUT, detail)(
                scope, receive, send
            )
