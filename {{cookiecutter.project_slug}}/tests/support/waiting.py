"""Waiting for what happens in another thread, process or service."""

import time
from collections.abc import Callable


def eventually(condition: Callable[[], bool], seconds: float = 15.0) -> None:
    """Wait until ``condition()`` holds; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition did not come true in time"
        time.sleep(0.05)
