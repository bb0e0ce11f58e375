"""Where the trained artifacts live: in the package, one file per model version."""

from pathlib import Path
from typing import Final

ARTIFACTS: Final = Path(__file__).parent / "artifacts"


def artifact_name(version: str) -> str:
    return f"model-{version}.skops"
