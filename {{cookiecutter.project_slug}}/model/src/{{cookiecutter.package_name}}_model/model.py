"""The trained model as a service uses it: loaded from the package's artifact, predicting for
typed instances."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from operator import attrgetter
from pathlib import Path
from typing import Any, Final

import numpy as np

from .artifacts import ARTIFACTS, artifact_name
from .schema import FEATURES, SPECIES, Measurements, Prediction

NAME: Final = "iris-species"
DISTRIBUTION: Final = "{{ cookiecutter.project_slug }}-model"

_features = attrgetter(*FEATURES)


class ArtifactError(RuntimeError):
    """The package holds no trained artifact of its own version, or one this code cannot serve."""


@dataclass(frozen=True)
class Model:
    name: str
    version: str
    estimator: Any  # a fitted scikit-learn classifier (scikit-learn ships no types)

    def predict(self, instances: Sequence[Measurements]) -> list[Prediction]:
        """The prediction for each instance, in order."""
        rows = np.array([_features(instance) for instance in instances], dtype=np.float64)
        probabilities = self.estimator.predict_proba(rows)
        classes = self.estimator.classes_.tolist()
        best = probabilities.argmax(axis=1).tolist()
        # Built without validation: the values come from the estimator, whose classes were
        # checked against the schema when it was loaded (validating costs more than predicting).
        return [
            Prediction.model_construct(
                species=classes[index], probabilities=dict(zip(classes, row, strict=True))
            )
            for index, row in zip(best, probabilities.round(6).tolist(), strict=True)
        ]


@cache
def load(artifacts: Path = ARTIFACTS) -> Model:
    """The model of the installed version, loaded once per process (from the package's
    ``artifacts``).

    skops rebuilds only the types it knows to be safe (scikit-learn's estimators, numpy arrays):
    an artifact naming any other type is refused rather than run, unlike a pickle.
    """
    version = metadata.version(DISTRIBUTION)
    artifact = artifacts / artifact_name(version)
    if not artifact.is_file():
        raise ArtifactError(
            f"{DISTRIBUTION} {version} holds no trained model; build the package, or run "
            f"PYTHONPATH=src python -m {__package__}.training in the model's folder"
        )
    # Imported here: skops imports all of scikit-learn (seconds), which a service pays for when
    # it loads the model, in the background, rather than when it imports this package.
    import skops.io

    estimator = skops.io.loads(artifact.read_bytes())
    if tuple(estimator.classes_) != SPECIES:
        raise ArtifactError(f"model {version} predicts {estimator.classes_}, not {SPECIES}")
    return Model(NAME, version, estimator)
