"""Headers that make browsers strict with every response, errors included: no MIME sniffing, no
referrer, no framing, and, in production (served over TLS behind a proxy), HTTPS only."""

from ..context import Exchange
from .stage import Headers, Stage

HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),  # older browsers; frame-ancestors below for current ones
    (b"content-security-policy", b"frame-ancestors 'none'"),
)
# Two years, the preload lists' minimum; subdomains too, so none is reachable over plain HTTP.
HSTS = (b"strict-transport-security", b"max-age=63072000; includeSubDomains")


class SecurityHeaders(Stage):
    name = "security_headers"

    def __init__(self, hsts: bool) -> None:
        self.headers = (*HEADERS, HSTS) if hsts else HEADERS

    def on_response_start(self, exchange: Exchange, headers: Headers) -> None:
        headers.extend(self.headers)
