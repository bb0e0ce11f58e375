"""What the model reads and answers, typed. The service's API is built from these, so a change
here is a change of the model's contract (and of its version)."""

from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

Species = Literal["setosa", "versicolor", "virginica"]
SPECIES: Final[tuple[Species, ...]] = ("setosa", "versicolor", "virginica")

# Measurements of an iris of each species, from the training data: a request that works as is.
EXAMPLES: Final[tuple[dict[str, Any], ...]] = (
    {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2},
    {"sepal_length": 6.4, "sepal_width": 3.2, "petal_length": 4.5, "petal_width": 1.5},
    {"sepal_length": 6.3, "sepal_width": 3.3, "petal_length": 6.0, "petal_width": 2.5},
)


def _length(name: str) -> float:
    # Positive and finite; nothing measured on a flower comes near a metre.
    return Field(gt=0, le=100, description=f"{name} in centimetres.")  # type: ignore[no-any-return]


class Measurements(BaseModel):
    """One flower to classify: an instance of a prediction request."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, json_schema_extra={"example": EXAMPLES[0]}
    )

    sepal_length: float = _length("Sepal length")
    sepal_width: float = _length("Sepal width")
    petal_length: float = _length("Petal length")
    petal_width: float = _length("Petal width")


# The estimator's input columns, in order.
FEATURES: Final[tuple[str, ...]] = tuple(Measurements.model_fields)


class Prediction(BaseModel):
    """The model's answer for one instance."""

    species: Species = Field(description="The most likely species.")
    probabilities: dict[Species, float] = Field(description="The probability of each species.")
