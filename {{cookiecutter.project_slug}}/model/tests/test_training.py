from pathlib import Path

import numpy as np
import skops.io
from sklearn.datasets import load_iris

from {{ cookiecutter.package_name }}_model import SPECIES
from {{ cookiecutter.package_name }}_model.artifacts import artifact_name
from {{ cookiecutter.package_name }}_model.training import ensure_artifact, train, write_artifact


def test_the_model_classifies_held_out_flowers_well() -> None:
    assert train().accuracy >= 0.9


def test_training_is_deterministic() -> None:
    data = load_iris().data
    first, second = train().estimator, train().estimator
    assert np.array_equal(first.predict_proba(data), second.predict_proba(data))


def test_the_artifact_of_a_version_replaces_those_of_other_versions(tmp_path: Path) -> None:
    write_artifact("1.0.0", tmp_path)
    write_artifact("1.1.0", tmp_path)

    assert [path.name for path in tmp_path.iterdir()] == [artifact_name("1.1.0")]
    estimator = skops.io.load(tmp_path / artifact_name("1.1.0"))
    assert tuple(estimator.classes_) == SPECIES


def test_an_existing_artifact_is_not_trained_again(tmp_path: Path) -> None:
    artifact = tmp_path / artifact_name("2.0.0")
    artifact.write_bytes(b"kept")

    ensure_artifact("2.0.0", tmp_path)

    assert artifact.read_bytes() == b"kept"
