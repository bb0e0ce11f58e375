"""``Deprecation`` (RFC 9745) and ``Sunset`` (RFC 8594) headers on a deprecated API version."""

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time
from email.utils import format_datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..config import ApiDeprecation

Headers = Sequence[tuple[bytes, bytes]]


def deprecation_headers(deprecation: ApiDeprecation) -> Headers:
    deprecated_at = datetime.combine(deprecation.deprecated_on, time(), UTC)
    headers = [(b"deprecation", b"@%d" % deprecated_at.timestamp())]
    if deprecation.sunset_on is not None:
        sunset = datetime.combine(deprecation.sunset_on, time(), UTC)
        headers.append((b"sunset", format_datetime(sunset, usegmt=True).encode("ascii")))
    return headers


class DeprecationMiddleware:
    def __init__(self, app: ASGIApp, deprecations: Mapping[str, ApiDeprecation]) -> None:
        """``deprecations`` maps a path prefix (``/api/v1``) to its deprecation."""
        self.app = app
        self.headers_by_prefix = {
            prefix.rstrip("/") + "/": deprecation_headers(deprecation)
            for prefix, deprecation in deprecations.items()
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"] + "/" if scope["type"] == "http" else ""
        headers = next(
            (h for prefix, h in self.headers_by_prefix.items() if path.startswith(prefix)), None
        )
        if headers is None:
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)
