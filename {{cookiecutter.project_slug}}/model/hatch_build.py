"""Building the package trains its model first when the artifact of the package's version is
missing, so a wheel of version X always carries the model of version X. Training is
deterministic: the same version, code and scikit-learn release give the same model."""

import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class TrainModel(BuildHookInterface):  # type: ignore[misc]  # an untyped base class
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        sys.path.insert(0, str(Path(self.root) / "src"))
        from {{ cookiecutter.package_name }}_model.training import ensure_artifact

        ensure_artifact(self.metadata.version)
