"""Waiting for what happens in another thread, process or service."""

import time
from collections.abc import Callable

# Work (a server starting, a model loading) is judged by what it does, not by the clock: on a
# busy machine the same work takes longer. It may use this much CPU time before it is failed,
# and go this long without using any (stuck); where CPU time cannot be read, the clock decides.
WORK_CPU_SECONDS = 30.0
STALLED_SECONDS = 30.0
WORK_SECONDS = 120.0


def eventually(condition: Callable[[], bool], seconds: float = 15.0) -> None:
    """Wait until ``condition()`` holds; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition did not come true in time"
        time.sleep(0.05)


def while_working(
    condition: Callable[[], bool], cpu_seconds: Callable[[], float | None], what: str
) -> None:
    """Wait until ``condition()`` holds while the work towards it goes on: fail once
    ``cpu_seconds()`` (the working processes' CPU time) has grown by ``WORK_CPU_SECONDS``, or has
    not grown for ``STALLED_SECONDS``; where it is None, after ``WORK_SECONDS``."""
    started = time.monotonic()
    first = used = cpu_seconds()
    progressed = started
    while not condition():
        now, cpu = time.monotonic(), cpu_seconds()
        if cpu is None or first is None or used is None:
            assert now - started < WORK_SECONDS, f"{what}: not within {WORK_SECONDS:g} s"
        else:
            assert cpu - first < WORK_CPU_SECONDS, f"{what}: not within {WORK_CPU_SECONDS:g} CPU s"
            if cpu > used:
                used, progressed = cpu, now
            assert now - progressed < STALLED_SECONDS, f"{what}: stuck, using no CPU"
        time.sleep(0.02)
