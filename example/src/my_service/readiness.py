"""Readiness: whether this instance should get traffic. Dependencies (a database, a broker, ...)
register a check; the instance is ready when every check passes and it is not shutting down.

A check that fails is logged when it starts failing (or fails for another reason) and when it
passes again, not on every probe."""

import asyncio
import signal
import threading
from collections.abc import Awaitable, Callable
from types import FrameType

from loguru import logger

from .metrics import record_readiness

# A check returns normally when its dependency is usable and raises otherwise.
Check = Callable[[], Awaitable[None]]
CHECK_TIMEOUT_SECONDS = 2.0
OK = "ok"


class NotReadyError(Exception):
    """Raised by a check that knows why its dependency is not usable: ``reason`` is shown by
    the readiness probe (short, no secrets), ``remedy`` is logged (what to run)."""

    def __init__(self, reason: str, remedy: str) -> None:
        super().__init__(f"{reason}: {remedy}")
        self.reason = reason
        self.remedy = remedy


class Readiness:
    def __init__(self) -> None:
        self.checks: dict[str, Check] = {}
        self.shutting_down = False
        self._results: dict[str, str] = {}  # each check's last result, to log only changes

    def add_check(self, name: str, check: Check) -> None:
        self.checks[name] = check

    async def run_checks(self) -> dict[str, str]:
        """Each check's status: ``ok``, or why it failed (without exception details)."""
        names = list(self.checks)
        results = await asyncio.gather(*(self.run_check(name) for name in names))
        return dict(zip(names, results, strict=True))

    async def run_check(self, name: str) -> str:
        """One check's status: ``ok``, its reason, ``timeout`` or ``failing``."""
        try:
            await asyncio.wait_for(self.checks[name](), CHECK_TIMEOUT_SECONDS)
        except TimeoutError:
            result, remedy = "timeout", f"no answer within {CHECK_TIMEOUT_SECONDS:g} s"
        except NotReadyError as error:
            result, remedy = error.reason, error.remedy
        except Exception as error:
            result, remedy = "failing", repr(error)
        else:
            result = remedy = OK
        if self._results.get(name, OK) != result:
            if result == OK:
                logger.info("Ready again: {}", name)
            else:
                logger.warning("Not ready: {} {}: {}", name, result, remedy)
        self._results[name] = result
        record_readiness(name, result == OK)
        return result

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
