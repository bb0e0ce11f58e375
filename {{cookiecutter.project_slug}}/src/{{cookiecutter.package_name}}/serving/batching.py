"""Adaptive batching: the instances of requests that arrive while the model is busy are predicted
together, in its next call.

A model call costs something whatever its size (scikit-learn checks its input and numpy sets up
each operation: for the example model about as much as predicting 64 rows), so one call for the
batches of eight waiting requests costs little more than a call for one of them. Nothing waits on
purpose: a request that finds a thread free is predicted at once, alone, so a quiet worker
answers as quickly as without batching; requests that arrive while every thread is busy go
together into the next call, up to ``max_instances``. The running call is the wait. (Triton's and
BentoML's dynamic batching merge the same way, with an optional delay this does not need.)
"""

import asyncio
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import partial
from typing import Generic, TypeVar

Instance = TypeVar("Instance")
Result = TypeVar("Result")


class BatcherClosedError(RuntimeError):
    """The batcher was closed before this request's batch was computed."""


@dataclass(eq=False)
class _Waiting(Generic[Instance, Result]):
    """One request's batch, until its results are delivered."""

    instances: Sequence[Instance]
    results: "asyncio.Future[list[Result]]" = field(repr=False)


class Batcher(Generic[Instance, Result]):
    """Runs ``compute`` (one result per instance, in order) in ``pool``, at most ``calls`` at
    once, with the batches waiting for a free call merged. Used from one event loop."""

    def __init__(
        self,
        compute: Callable[[Sequence[Instance]], list[Result]],
        pool: Executor,
        calls: int,
        max_instances: int,
    ) -> None:
        self._compute = compute
        self._pool = pool
        self._calls = calls
        self._max_instances = max_instances
        self._waiting: deque[_Waiting[Instance, Result]] = deque()
        self._running = 0
        self._closed = False

    async def __call__(self, instances: Sequence[Instance]) -> list[Result]:
        """The results for ``instances``, in order, computed alone or with other batches."""
        if self._closed:
            raise BatcherClosedError("the batcher is closed")
        waiting = _Waiting[Instance, Result](instances, asyncio.get_running_loop().create_future())
        self._waiting.append(waiting)
        self._start_calls()
        # A request cancelled meanwhile (its client left, its time ran out) cancels its future:
        # the batch is dropped if it has not started, its results if it has.
        return await waiting.results

    def close(self) -> None:
        """Fail the batches that have not started; the calls running finish and deliver."""
        self._closed = True
        while self._waiting:
            waiting = self._waiting.popleft()
            if not waiting.results.done():
                waiting.results.set_exception(BatcherClosedError("the batcher was closed"))

    def _start_calls(self) -> None:
        loop = asyncio.get_running_loop()
        while self._running < self._calls and (batches := self._next_call()):
            self._running += 1
            call = loop.run_in_executor(
                self._pool, self._merged, [waiting.instances for waiting in batches]
            )
            call.add_done_callback(partial(self._deliver, batches))

    def _next_call(self) -> list[_Waiting[Instance, Result]]:
        """The batches of the next call: the oldest waiting first, then as many of the next as
        fit within ``max_instances`` (a batch larger than that goes alone)."""
        batches: list[_Waiting[Instance, Result]] = []
        size = 0
        while self._waiting:
            waiting = self._waiting[0]
            if waiting.results.done():  # cancelled while it waited
                self._waiting.popleft()
                continue
            if batches and size + len(waiting.instances) > self._max_instances:
                break
            batches.append(self._waiting.popleft())
            size += len(waiting.instances)
        return batches

    def _merged(self, batches: list[Sequence[Instance]]) -> list[list[Result] | Exception]:
        """In the pool: one call for every batch, split back into each batch's results. If the
        merged call fails, each batch is computed alone, so that a batch the model cannot take
        fails only its own request."""
        if len(batches) == 1:
            return [self._compute(batches[0])]
        merged = [instance for batch in batches for instance in batch]
        try:
            results = self._compute(merged)
            if len(results) != len(merged):
                raise ValueError(f"{len(results)} results for {len(merged)} instances")
        except Exception:
            return [self._alone(batch) for batch in batches]
        outcomes: list[list[Result] | Exception] = []
        start = 0
        for batch in batches:
            outcomes.append(results[start : start + len(batch)])
            start += len(batch)
        return outcomes

    def _alone(self, batch: Sequence[Instance]) -> list[Result] | Exception:
        try:
            return self._compute(batch)
        except Exception as error:
            return error

    def _deliver(
        self,
        batches: list[_Waiting[Instance, Result]],
        call: "asyncio.Future[list[list[Result] | Exception]]",
    ) -> None:
        """On the loop, when a call is over: each request gets its results (or the error), and
        the batches that waited meanwhile start."""
        self._running -= 1
        if call.cancelled():  # the pool was shut down before the call started
            failure: BaseException | None = BatcherClosedError("the batcher was closed")
        else:
            failure = call.exception()
        outcomes: Sequence[list[Result] | BaseException] = (
            call.result() if failure is None else [failure] * len(batches)
        )
        for waiting, outcome in zip(batches, outcomes, strict=True):
            if waiting.results.done():  # its request was cancelled while the call ran
                continue
            if isinstance(outcome, BaseException):
                waiting.results.set_exception(outcome)
            else:
                waiting.results.set_result(outcome)
        if not self._closed:
            self._start_calls()
