from importlib import metadata
from pathlib import Path

import numpy as np
import pytest
import skops.io
from pydantic import ValidationError
from sklearn.datasets import load_iris

from {{ cookiecutter.package_name }}_model import (
    FEATURES,
    SPECIES,
    ArtifactError,
    Measurements,
    load,
)
from {{ cookiecutter.package_name }}_model.artifacts import artifact_name
from {{ cookiecutter.package_name }}_model.schema import EXAMPLES


def flowers() -> list[Measurements]:
    return [Measurements(**dict(zip(FEATURES, row, strict=True))) for row in load_iris().data]


def test_the_model_is_the_installed_version(version: str) -> None:
    model = load()
    assert model.version == metadata.version("{{ cookiecutter.project_slug }}-model") == version
    assert model.name == "iris-species"


def test_predictions_are_the_estimators_own_in_order() -> None:
    model = load()
    instances = flowers()

    predictions = model.predict(instances)

    expected = model.estimator.predict(load_iris().data)
    assert [prediction.species for prediction in predictions] == expected.tolist()
    for prediction in predictions:
        assert set(prediction.probabilities) == set(SPECIES)
        assert sum(prediction.probabilities.values()) == pytest.approx(1, abs=1e-5)


def test_the_examples_are_predicted_as_their_species() -> None:
    predictions = load().predict([Measurements(**example) for example in EXAMPLES])
    assert [prediction.species for prediction in predictions] == list(SPECIES)


@pytest.mark.parametrize(
    "change",
    [{"sepal_length": 0}, {"petal_width": -1.0}, {"sepal_width": 1000}, {"petal_length": "nan"}],
)
def test_measurements_out_of_range_are_refused(change: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Measurements.model_validate({**EXAMPLES[0], **change})


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError, match="colour"):
        Measurements.model_validate({**EXAMPLES[0], "colour": "blue"})


class Executable:
    """Not a type skops trusts: an artifact holding one must not load."""


def test_an_artifact_holding_untrusted_types_is_refused(tmp_path: Path, version: str) -> None:
    skops.io.dump(Executable(), tmp_path / artifact_name(version))

    with pytest.raises(skops.io.exceptions.UntrustedTypesFoundException):
        load(tmp_path)


def test_a_missing_artifact_says_how_to_train(tmp_path: Path) -> None:
    with pytest.raises(ArtifactError, match="training"):
        load(tmp_path)


def test_predict_takes_the_schemas_columns_in_order() -> None:
    first = load_iris().data[:1]
    instance = Measurements(**dict(zip(FEATURES, first[0], strict=True)))
    [prediction] = load().predict([instance])
    probabilities = load().estimator.predict_proba(first)[0]
    assert [prediction.probabilities[s] for s in SPECIES] == pytest.approx(
        np.round(probabilities, 6).tolist()
    )
