"""``Server-Timing: app;dur=<ms>`` and ``X-Process-Time`` (seconds) on every response: the time
the service took until the response started."""

import time

from ..context import Exchange
from .stage import Headers, Stage


class ServerTiming(Stage):
    name = "server_timing"

    def on_response_start(self, exchange: Exchange, headers: Headers) -> None:
        elapsed = time.perf_counter() - exchange.started
        headers.append((b"server-timing", b"app;dur=%.3f" % (elapsed * 1000)))
        headers.append((b"x-process-time", b"%.6f" % elapsed))
