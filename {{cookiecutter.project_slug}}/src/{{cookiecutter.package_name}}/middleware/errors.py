"""The last line of defence: an unhandled exception becomes a problem+json 500 that reveals
nothing of the exception, while its traceback goes to the log with the request id.

It sits inside the request-id, metrics and CORS middleware, so a 500 still carries their headers
and is counted, unlike Starlette's outermost ``ServerErrorMiddleware``.
"""

from http import HTTPStatus

from loguru import logger
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import problem_response


class ErrorMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        response_started = False

        async def send_tracking_start(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, receive, send_tracking_start)
        except Exception:
            logger.exception("Unhandled error in {} {}", scope["method"], scope["path"])
            if response_started:
                raise  # too late for another response: let the server close the connection
            response = problem_response(scope["path"], HTTPStatus.INTERNAL_SERVER_ERROR)
            await response(scope, receive, send)
