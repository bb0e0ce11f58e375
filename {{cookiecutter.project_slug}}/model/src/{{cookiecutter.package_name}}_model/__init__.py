"""The model the service serves, as a package: its input schema, its training and its trained
artifact. The package's version is the model's version."""

from .model import NAME, ArtifactError, Model, load
from .schema import FEATURES, SPECIES, Measurements, Prediction, Species

__all__ = [
    "FEATURES",
    "NAME",
    "SPECIES",
    "ArtifactError",
    "Measurements",
    "Model",
    "Prediction",
    "Species",
    "load",
]
