"""Request bodies of at most ``MAX_BODY_SIZE`` bytes; a larger one is answered 413 problem+json.

A declared ``Content-Length`` is judged before anything is read (the server never delivers more
than it declares). A body without one (chunked) is counted as it streams in and refused as soon
as it passes the limit, so an endless upload is never held in memory.
"""

from http import HTTPStatus

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import problem_response

DETAIL = "The request body is larger than the {} bytes this service accepts."


class BodyTooLargeError(HTTPException):
    """Raised while the body streams in. An HTTPException, so that FastAPI lets it through to
    the exception handlers (it turns other errors raised while reading a body into a 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, DETAIL.format(limit))


def body_framing(scope: Scope) -> tuple[int | None, bool]:
    """The declared ``Content-Length`` (if valid), and whether the body is chunked."""
    length, chunked = None, False
    for name, value in scope["headers"]:
        if name == b"content-length":
            length = int(value) if value.isdigit() else None
        elif name == b"transfer-encoding":
            chunked = True
    return length, chunked


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_body_size: int) -> None:
        self.app = app
        self.limit = max_body_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        length, chunked = body_framing(scope)
        if length is not None and length > self.limit:
            await self.refuse(scope, receive, send)
            return
        # In HTTP/1.x a body without either header does not exist, and one with Content-Length
        # ends where declared: only a chunked one needs counting. HTTP/2 frames bodies itself.
        if not chunked and scope.get("http_version", "1.1").startswith("1"):
            await self.app(scope, receive, send)
            return

        received = 0

        async def receive_counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLargeError(self.limit)
            return message

        response_started = False

        async def send_tracking_start(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive_counted, send_tracking_start)
        except BodyTooLargeError:
            # Read outside a FastAPI handler (its handlers answer this themselves).
            if response_started:
                raise
            await self.refuse(scope, receive, send)

    async def refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            scope["path"], HTTPStatus.REQUEST_ENTITY_TOO_LARGE, DETAIL.format(self.limit)
        )
        # The unread body is not drained: the server closes the connection instead.
        response.headers["connection"] = "close"
        await response(scope, receive, send)
