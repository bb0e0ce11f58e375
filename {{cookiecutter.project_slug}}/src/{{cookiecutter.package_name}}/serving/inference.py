"""Predictions off the event loop. A model call is CPU work that would stall every request of
the worker while it runs; here it runs in a small pool of threads, and the loop keeps answering
(probes included) meanwhile. The batches of requests that wait for a thread are merged into one
call (``batching.py``).

Threads rather than processes: the model is in this process's memory already (shared with the
other workers when preloaded), and a batch and its predictions need not be pickled across a
process boundary. The loop still gets the interpreter every few milliseconds while a thread
computes, and numpy releases it for the arithmetic.
"""

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from pydantic import BaseModel

from {{ cookiecutter.package_name }}_model import Measurements, Model, Prediction

from .batching import Batcher
from .metrics import ModelMetrics


class ModelInfo(BaseModel):
    """The model that answered, in every prediction response."""

    name: str
    version: str


class Inference:
    def __init__(self, model: Model, threads: int, max_instances_per_call: int) -> None:
        self.model = model
        self.about = ModelInfo(name=model.name, version=model.version)
        self._metrics = ModelMetrics.of(model.name, model.version)
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="inference")
        self._batcher = Batcher(self._predict, self._pool, threads, max_instances_per_call)

    async def predict(self, instances: Sequence[Measurements]) -> list[Prediction]:
        """The model's predictions, computed in the pool (with the batches of other requests
        waiting for it, when it is busy)."""
        self._metrics.requested(len(instances))
        return await self._batcher(instances)

    def _predict(self, instances: Sequence[Measurements]) -> list[Prediction]:
        started = time.perf_counter()
        predictions = self.model.predict(instances)
        self._metrics.called(len(instances), time.perf_counter() - started)
        return predictions

    def close(self) -> None:
        """Finish the calls being computed; fail the batches still waiting (their requests are
        answered 503 if they are still there)."""
        self._batcher.close()
        self._pool.shutdown(wait=True, cancel_futures=True)
