"""The export queue: a full batch leaves at once, the rest once the delay is over, and never a
stream of small exports under a steady load; what is queued at shutdown is sent."""

import threading
import time
from collections.abc import Iterator

import pytest

from {{ cookiecutter.package_name }}.telemetry import encoding
from {{ cookiecutter.package_name }}.telemetry.batches import Batches
from {{ cookiecutter.package_name }}.telemetry.spans import Finished

from support.waiting import eventually


def span(number: int) -> Finished:
    return Finished(1, number + 1, 0, "", f"span {number}", 2, 10, 20, {}, error=False)


class Collector:
    """Takes each export, in ``seconds``, as a collector over a network would."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.seconds = seconds
        self.exports: list[list[bytes]] = []

    def send(self, spans: list[bytes]) -> bool:
        time.sleep(self.seconds)
        self.exports.append(spans)
        return True

    @property
    def spans(self) -> list[bytes]:
        return [encoded for export in self.exports for encoded in export]


@pytest.fixture
def collector() -> Collector:
    return Collector()


@pytest.fixture
def batches(collector: Collector) -> Iterator[Batches]:
    queue = Batches(collector.send, max_queue_size=10_000, delay_ms=60_000)
    yield queue
    queue.shutdown()


def test_a_full_batch_is_sent_at_once(batches: Batches, collector: Collector) -> None:
    for number in range(batches.batch_size + 10):
        batches.add(span(number))

    eventually(lambda: len(collector.exports) == 1, seconds=5)
    [export] = collector.exports
    assert export == [encoding.span(span(n)) for n in range(batches.batch_size)]


def test_spans_short_of_a_batch_wait_for_the_delay(collector: Collector) -> None:
    batches = Batches(collector.send, max_queue_size=10_000, delay_ms=1500)
    try:
        for number in range(5):
            batches.add(span(number))
        time.sleep(0.2)
        assert collector.exports == []
        eventually(lambda: len(collector.exports) == 1, seconds=10)
        assert len(collector.spans) == 5
    finally:
        batches.shutdown()


def test_a_steady_stream_is_sent_once_per_delay_not_as_it_arrives() -> None:
    # Each export takes 20 ms and a span arrives every millisecond: a queue that sent whatever
    # had arrived meanwhile would never stop sending, a few spans at a time.
    collector = Collector(seconds=0.02)
    batches = Batches(collector.send, max_queue_size=10_000, delay_ms=100)
    sent = 0
    started = time.monotonic()
    while time.monotonic() - started < 0.6:
        batches.add(span(sent))
        sent += 1
        time.sleep(0.001)
    batches.shutdown()

    assert len(collector.spans) == sent  # every span, once
    assert collector.spans == [encoding.span(span(n)) for n in range(sent)]  # in order
    assert len(collector.exports) <= 10  # about one per 100 ms, and the last at shutdown


def test_shutdown_sends_what_is_queued(batches: Batches, collector: Collector) -> None:
    for number in range(3):
        batches.add(span(number))

    batches.shutdown()

    assert len(collector.spans) == 3
    batches.add(span(3))  # after shutdown: dropped, never blocking
    assert len(collector.spans) == 3


def test_a_flush_sends_what_is_queued_without_waiting_for_the_delay(
    batches: Batches, collector: Collector
) -> None:
    for number in range(3):
        batches.add(span(number))

    assert batches.force_flush()

    eventually(lambda: len(collector.spans) == 3, seconds=5)


def test_adding_from_many_threads_loses_nothing(batches: Batches, collector: Collector) -> None:
    def add(first: int) -> None:
        for number in range(first, first + 300):
            batches.add(span(number))

    threads = [threading.Thread(target=add, args=(n * 300,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    batches.shutdown()

    assert sorted(collector.spans) == sorted(encoding.span(span(n)) for n in range(1200))
