"""``Server-Timing: app;dur=<ms>`` on every response: the time the service took until the
response started (the standard field, which browsers' developer tools show)."""

import time

from ..context import Exchange
from .stage import Headers, Stage


class ServerTiming(Stage):
    name = "server_timing"

    def on_response_start(self, exchange: Exchange, headers: Headers) -> None:
        elapsed_ms = (time.perf_counter() - exchange.started) * 1000
        headers.append((b"server-timing", b"app;dur=%.3f" % elapsed_ms))
