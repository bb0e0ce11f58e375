"""Training: fits the model on the iris data set that ships with scikit-learn (nothing is
downloaded) and writes the artifact of a version into the package.

    cd model && PYTHONPATH=src python -m {{ cookiecutter.package_name }}_model.training

Building the package runs it too, when the artifact of the package's version is missing.
"""

import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import skops.io
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from .artifacts import ARTIFACTS, artifact_name
from .schema import FEATURES, SPECIES

PYPROJECT: Final = Path(__file__).parents[2] / "pyproject.toml"
SEED: Final = 20261201  # fixed: the same code and data give the same model


@dataclass(frozen=True)
class Trained:
    estimator: Any
    accuracy: float  # on the quarter of the data held out from training


def train() -> Trained:
    data = load_iris()
    columns = tuple(name.removesuffix(" (cm)").replace(" ", "_") for name in data.feature_names)
    if columns != FEATURES:
        raise RuntimeError(f"the data set's columns {columns} are not the schema's {FEATURES}")
    species = np.array(SPECIES)[data.target]
    x_train, x_test, y_train, y_test = train_test_split(
        data.data, species, test_size=0.25, stratify=species, random_state=SEED
    )
    estimator = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    estimator.fit(x_train, y_train)
    return Trained(estimator, float(estimator.score(x_test, y_test)))


def write_artifact(version: str, folder: Path = ARTIFACTS) -> Trained:
    """Train and write the artifact of ``version``, removing those of other versions."""
    trained = train()
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(artifact_name("*")):
        old.unlink()
    skops.io.dump(trained.estimator, folder / artifact_name(version))
    return trained


def ensure_artifact(version: str, folder: Path = ARTIFACTS) -> None:
    """Train unless the artifact of ``version`` is there."""
    if not (folder / artifact_name(version)).is_file():
        write_artifact(version, folder)


def main() -> None:
    """Train the version the source tree declares."""
    version = tomllib.loads(PYPROJECT.read_text("utf-8"))["project"]["version"]
    trained = write_artifact(version)
    print(f"model {version}: held-out accuracy {trained.accuracy:.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
