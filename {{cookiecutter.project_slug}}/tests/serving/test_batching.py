"""Adaptive batching: a batch that finds the model free is computed at once, alone; batches that
wait for it are merged into its next call, and each request gets exactly its own results."""

import asyncio
import threading
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest

from {{ cookiecutter.package_name }}.serving.batching import Batcher, BatcherClosedError

pytestmark = pytest.mark.anyio

WAIT = 10.0


class Doubler:
    """Doubles each number, recording each call's instances; fails a call that holds a negative
    number. Once ``hold()`` is called, each call waits to be let through."""

    def __init__(self) -> None:
        self.calls: list[list[int]] = []
        self.held = False
        self.gate = threading.Semaphore(0)
        self.entered = threading.Semaphore(0)

    def __call__(self, numbers: Sequence[int]) -> list[int]:
        self.calls.append(list(numbers))
        self.entered.release()
        if self.held:
            assert self.gate.acquire(timeout=WAIT)
        if any(number < 0 for number in numbers):
            raise ValueError(f"negative: {numbers}")
        return [number * 2 for number in numbers]

    def hold(self) -> None:
        self.held = True

    def let_through(self, calls: int) -> None:
        self.gate.release(calls)

    def open(self) -> None:
        """No call waits any more, those waiting included."""
        self.held = False
        self.gate.release(100)

    async def wait_for_calls(self, count: int) -> None:
        for _ in range(count):
            assert await asyncio.to_thread(self.entered.acquire, timeout=WAIT)


@pytest.fixture
def doubler() -> Doubler:
    return Doubler()


@pytest.fixture
async def pool() -> AsyncIterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=2) as executor:
        yield executor


def batcher(
    doubler: Doubler, pool: ThreadPoolExecutor, calls: int = 1, max_instances: int = 100
) -> Batcher[int, int]:
    return Batcher(doubler, pool, calls, max_instances)


async def queued_behind(
    batching: Batcher[int, int], doubler: Doubler, first: list[int], *batches: list[int]
) -> tuple["asyncio.Task[list[int]]", list["asyncio.Task[list[int]]"]]:
    """The requests of ``batches`` queued behind ``first``'s call, which the model holds."""
    doubler.hold()
    running = asyncio.ensure_future(batching(first))
    await doubler.wait_for_calls(1)
    waiting = [asyncio.ensure_future(batching(batch)) for batch in batches]
    await asyncio.sleep(0.01)  # they are queued, not started
    return running, waiting


async def test_a_batch_that_finds_the_model_free_is_computed_alone(
    doubler: Doubler, pool: ThreadPoolExecutor
) -> None:
    assert await batcher(doubler, pool)([1, 2, 3]) == [2, 4, 6]
    assert doubler.calls == [[1, 2, 3]]


async def test_batches_waiting_for_the_model_share_its_next_call(
    doubler: Doubler, pool: ThreadPoolExecutor
) -> None:
    batching = batcher(doubler, pool)
    first, waiting = await queued_behind(batching, doubler, [1], [2, 3], [4], [5, 6, 7])
    assert doubler.calls == [[1]]

    doubler.open()

    assert await first == [2]
    assert [await request for request in waiting] == [[4, 6], [8], [10, 12, 14]]
    assert doubler.calls == [[1], [2, 3, 4, 5, 6, 7]]


async def test_a_call_holds_at_most_max_instances_and_a_larger_batch_goes_alone(
    doubler: Doubler, pool: ThreadPoolExecutor
) -> None:
    batching = batcher(doubler, pool, max_instances=4)
    batches = ([1, 2], [3, 4], [5, 6, 7, 8, 9, 10], [11])
    first, waiting = await queued_behind(batching, doubler, [0], *batches)

    doubler.open()

    await first
    assert [await request for request in waiting] == [[n * 2 for n in b] for b in batches]
    assert doubler.calls == [[0], [1, 2, 3, 4], [5, 6, 7, 8, 9, 10], [11]]


async def test_a_failing_batch_fails_only_its_own_request(
    doubler: Doubler, pool: ThreadPoolExecutor
) -> None:
    first, (good, bad, other) = await queued_behind(
        batcher(doubler, pool), doubler, [1], [2], [-3], [4]
    )

    doubler.open()

    await first
    assert await good == [4]
    assert await other == [8]
    with pytest.raises(ValueError, match="negative"):
        await bad
    # The merged call failed, then each batch was computed alone.
    assert doubler.calls == [[1], [2, -3, 4], [2], [-3], [4]]


async def test_a_batch_alone_that_fails_fails_its_request(
    doubler: Doubler, pool: ThreadPoolExecutor
) -> None:
    batching = batcher(doubler, pool)

    with pytest.raises(ValueError, match="negative"):
        await batching([-1])
    assert await batching([1]) == [2]  # and the batcher goes on


async def test_a_request_cancelled_while_it_waits_is_not_computed(
    doubler: Doubler, pool: ThreadPoolExecutor
) -> None:
    first, (gone, kept) = await queued_behind(batcher(doubler, pool), doubler, [1], [2], [3])
    gone.cancel()

    doubler.open()

    await first
    assert await kept == [6]
    assert doubler.calls == [[1], [3]]


async def test_a_request_cancelled_while_its_call_runs_leaves_the_others_their_results(
    doubler: Doubler, pool: ThreadPoolExecutor
) -> None:
    first, (gone, kept) = await queued_behind(batcher(doubler, pool), doubler, [1], [2], [3])
    doubler.let_through(1)
    await first
    await doubler.wait_for_calls(1)  # the merged call has started, and waits
    gone.cancel()

    doubler.let_through(1)

    assert await kept == [6]
    assert gone.cancelled()
    assert doubler.calls == [[1], [2, 3]]


async def test_each_of_several_calls_takes_the_batches_waiting_when_it_starts(
    doubler: Doubler, pool: ThreadPoolExecutor
) -> None:
    batching = batcher(doubler, pool, calls=2)
    doubler.hold()
    running = [asyncio.ensure_future(batching([n])) for n in (1, 2)]
    await doubler.wait_for_calls(2)  # two calls at once
    waiting = [asyncio.ensure_future(batching([n])) for n in (3, 4, 5)]
    await asyncio.sleep(0.01)

    doubler.open()

    assert [await request for request in running + waiting] == [[2], [4], [6], [8], [10]]
    assert doubler.calls[2:] == [[3, 4, 5]]  # the first call to end took all three


async def test_closing_fails_the_waiting_batches_and_lets_the_running_call_finish(
    doubler: Doubler, pool: ThreadPoolExecutor
) -> None:
    batching = batcher(doubler, pool)
    running, [waiting] = await queued_behind(batching, doubler, [1], [2])

    batching.close()
    doubler.open()

    assert await running == [2]
    with pytest.raises(BatcherClosedError):
        await waiting
    with pytest.raises(BatcherClosedError):
        await batching([3])
    assert doubler.calls == [[1]]
