"""``Deprecation`` (RFC 9745) and ``Sunset`` (RFC 8594) headers on a deprecated API version."""

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time
from email.utils import format_datetime

from ..config import ApiDeprecation
from ..context import Exchange
from .stage import Headers, Stage


def deprecation_headers(deprecation: ApiDeprecation) -> Sequence[tuple[bytes, bytes]]:
    deprecated_at = datetime.combine(deprecation.deprecated_on, time(), UTC)
    headers = [(b"deprecation", b"@%d" % deprecated_at.timestamp())]
    if deprecation.sunset_on is not None:
        sunset = datetime.combine(deprecation.sunset_on, time(), UTC)
        headers.append((b"sunset", format_datetime(sunset, usegmt=True).encode("ascii")))
    return headers


class Deprecation(Stage):
    name = "deprecation"

    def __init__(self, deprecations: Mapping[str, ApiDeprecation]) -> None:
        """``deprecations`` maps a path prefix (``/api/v1``) to its deprecation."""
        self.headers_by_prefix = {
            prefix.rstrip("/") + "/": deprecation_headers(deprecation)
            for prefix, deprecation in deprecations.items()
        }

    def on_response_start(self, exchange: Exchange, headers: Headers) -> None:
        path = exchange.path + "/"
        for prefix, deprecation in self.headers_by_prefix.items():
            if path.startswith(prefix):
                headers.extend(deprecation)
                return
