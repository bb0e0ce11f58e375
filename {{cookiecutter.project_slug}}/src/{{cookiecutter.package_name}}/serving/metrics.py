"""The model's metrics on ``/metrics``, labelled with the model and its version so that a
rollout shows both versions side by side."""

from dataclasses import dataclass
from typing import Final

from prometheus_client import Counter, Histogram

_SIZES: Final = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096)

PREDICTIONS: Final = Counter(
    "model_predictions_total", "Instances predicted.", ["model", "version"]
)
BATCH_SIZE: Final = Histogram(
    "model_batch_size", "Instances per prediction request.", ["model", "version"], buckets=_SIZES
)
CALL_SIZE: Final = Histogram(
    "model_inference_instances",
    "Instances per model call: a request's batch, or the batches of requests that waited for "
    "the model merged.",
    ["model", "version"],
    buckets=_SIZES,
)
INFERENCE: Final = Histogram(
    "model_inference_seconds",
    "Time the model took to predict a call's instances.",
    ["model", "version"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)


@dataclass(frozen=True)
class ModelMetrics:
    """The metrics of one model version, their labelled children looked up once."""

    predictions: Counter
    batch_size: Histogram
    call_size: Histogram
    inference: Histogram

    @classmethod
    def of(cls, model: str, version: str) -> "ModelMetrics":
        return cls(
            PREDICTIONS.labels(model, version),
            BATCH_SIZE.labels(model, version),
            CALL_SIZE.labels(model, version),
            INFERENCE.labels(model, version),
        )

    def requested(self, batch_size: int) -> None:
        """A prediction request's batch, as it arrives."""
        self.batch_size.observe(batch_size)

    def called(self, instances: int, seconds: float) -> None:
        """A model call that predicted ``instances`` in ``seconds``."""
        self.predictions.inc(instances)
        self.call_size.observe(instances)
        self.inference.observe(seconds)
