"""Request bodies of at most ``MAX_BODY_SIZE`` bytes; a larger one is answered 413 problem+json.

A declared ``Content-Length`` is judged before anything is read (the server never delivers more
than it declares). A body without one (chunked) is counted as it streams in and refused as soon
as it passes the limit, so an endless upload is never held in memory.
"""

from http import HTTPStatus

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import Message, Receive, Scope

from ..context import Exchange
from ..errors import problem_response
from .stage import Stage

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


class BodyLimit(Stage):
    name = "body_limit"

    def __init__(self, max_body_size: int) -> None:
        self.limit = max_body_size

    def wrap_receive(self, exchange: Exchange, receive: Receive) -> Receive:
        scope = exchange.scope
        length, chunked = body_framing(scope)
        if length is not None and length > self.limit:
            raise BodyTooLargeError(self.limit)  # answered by on_error, unread
        # In HTTP/1.x a body without either header does not exist, and one with Content-Length
        # ends where declared: only a chunked one needs counting. HTTP/2 frames bodies itself.
        if not chunked and scope.get("http_version", "1.1").startswith("1"):
            return receive

        received = 0
        limit = self.limit

        async def receive_counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError(limit)
            return message

        return receive_counted

    def on_error(self, exchange: Exchange, error: BaseException) -> Response | None:
        # Raised outside a FastAPI handler (its own handlers answer the ones raised inside).
        if not isinstance(error, BodyTooLargeError):
            return None
        response = problem_response(
            exchange.path, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, DETAIL.format(self.limit)
        )
        # The unread body is not drained: the server closes the connection instead.
        response.headers["connection"] = "close"
        return response
