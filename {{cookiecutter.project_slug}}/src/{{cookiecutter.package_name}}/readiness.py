"""Readiness: whether this instance should get traffic. Dependencies (a database, a broker, ...)
register a check; the instance is ready when every check passes and it is not shutting down."""

import asyncio
import signal
import threading
from collections.abc import Awaitable, Callable
from types import FrameType

from loguru import logger

# A check returns normally when its dependency is usable and raises otherwise.
Check = Callable[[], Awaitable[None]]
CHECK_TIMEOUT_SECONDS = 2.0


class Readiness:
    def __init__(self) -> None:
        self.checks: dict[str, Check] = {}
        self.shutting_down = False

    def add_check(self, name: str, check: Check) -> None:
        self.checks[name] = check

    async def run_checks(self) -> dict[str, str]:
        """Each check's status: ``ok``, or why it failed (without exception details)."""
        names = list(self.checks)
        results = await asyncio.gather(*(self._run(self.checks[name]) for name in names))
        return dict(zip(names, results, strict=True))

    @staticmethod
    async def _run(check: Check) -> str:
        try:
            await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
        except TimeoutError:
            return "timeout"
        except Exception as error:
            logger.warning("Readiness check failed: {!r}", error)
            return "failing"
        return "ok"

    def not_ready_on_sigterm(self) -> None:
        """Turn not-ready as soon as SIGTERM arrives, before the server stops, so load balancers
        stop sending traffic while in-flight requests finish. Chains the server's own handler."""
        if threading.current_thread() is not threading.main_thread():
            return  # signal handlers can only be set from the main thread (not under a test client)
        previous = signal.getsignal(signal.SIGTERM)

        def on_sigterm(signum: int, frame: FrameType | None) -> None:
            self.shutting_down = True
            if callable(previous):
                previous(signum, frame)

        signal.signal(signal.SIGTERM, on_sigterm)
