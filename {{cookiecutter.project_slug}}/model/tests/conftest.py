import tomllib
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}_model.training import ensure_artifact

PYPROJECT = Path(__file__).parents[1] / "pyproject.toml"


@pytest.fixture(scope="session", autouse=True)
def version() -> str:
    """The version the source tree declares, trained (once) if its artifact is missing."""
    declared: str = tomllib.loads(PYPROJECT.read_text("utf-8"))["project"]["version"]
    ensure_artifact(declared)
    return declared
