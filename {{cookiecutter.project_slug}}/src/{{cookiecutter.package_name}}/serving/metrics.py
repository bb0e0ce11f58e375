"""The model's metrics on ``/metrics``, labelled with the model and its version so that a
rollout shows both versions side by side."""

from dataclasses import dataclass
from typing import Final

from prometheus_client import Counter, Histogram

PREDICTIONS: Final = Counter(
    "model_predictions_total", "Instances predicted.", ["model", "version"]
)
BATCH_SIZE: Final = Histogram(
    "model_batch_size",
    "Instances per prediction request.",
    ["model", "version"],
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096),
)
INFERENCE: Final = Histogram(
    "model_inference_seconds",
    "Time the model took to predict a batch.",
    ["model", "version"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)


@dataclass(frozen=True)
class ModelMetrics:
    """The metrics of one model version, their labelled children looked up once."""

    predictions: Counter
    batch_size: Histogram
    inference: Histogram

    @classmethod
    def of(cls, model: str, version: str) -> "ModelMetrics":
        return cls(
            PREDICTIONS.labels(model, version),
            BATCH_SIZE.labels(model, version),
            INFERENCE.labels(model, version),
        )

    def observe(self, batch_size: int, seconds: float) -> None:
        self.predictions.inc(batch_size)
        self.batch_size.observe(batch_size)
        self.inference.observe(seconds)
