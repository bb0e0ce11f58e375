"""``X-Request-ID``: keep a valid incoming id, otherwise make one; echo it on the response."""

import os
import re

from starlette.types import Scope

from ..context import Exchange
from .stage import Headers, Stage

HEADER = b"x-request-id"
# Ids from clients end up in logs: accept only short, plain tokens.
VALID_ID = re.compile(rb"[A-Za-z0-9._:-]{1,128}")


def incoming_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == HEADER:
            return value.decode("ascii") if VALID_ID.fullmatch(value) else None
    return None


class RequestId(Stage):
    name = "request_id"

    def on_request(self, exchange: Exchange) -> None:
        # 128 random bits, like a UUID4, at a quarter of uuid4()'s cost.
        exchange.request_id = incoming_id(exchange.scope) or os.urandom(16).hex()

    def on_response_start(self, exchange: Exchange, headers: Headers) -> None:
        headers.append((HEADER, (exchange.request_id or "").encode("ascii")))
