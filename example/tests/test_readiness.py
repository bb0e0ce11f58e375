import signal
from collections.abc import Iterator
from types import FrameType

import pytest

from my_service.readiness import Readiness


@pytest.fixture
def server_handler() -> Iterator[list[int]]:
    """Stands in for the server's own SIGTERM handler, and records the signals it gets."""
    received: list[int] = []

    def handle(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    original = signal.signal(signal.SIGTERM, handle)
    yield received
    signal.signal(signal.SIGTERM, original)


def test_sigterm_turns_not_ready_at_once_and_reaches_the_server(
    server_handler: list[int],
) -> None:
    readiness = Readiness()
    readiness.not_ready_on_sigterm()

    signal.raise_signal(signal.SIGTERM)

    assert readiness.shutting_down
    assert server_handler == [signal.SIGTERM]  # the server still drains and stops
