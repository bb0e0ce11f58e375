"""``X-Request-ID``: keep a valid incoming id, otherwise make one; echo it on the response."""

import os
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..context import request_id

HEADER = b"x-request-id"
# Ids from clients end up in logs: accept only short, plain tokens.
VALID_ID = re.compile(rb"[A-Za-z0-9._:-]{1,128}")


def incoming_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == HEADER:
            return value.decode("ascii") if VALID_ID.fullmatch(value) else None
    return None


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        current = incoming_id(scope) or os.urandom(16).hex()  # 128 random bits, like a UUID4
        header = (HEADER, current.encode("ascii"))
        token = request_id.set(current)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)
