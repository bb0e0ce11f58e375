from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Find the suite's tools (uv, poetry, ...) on PATH as an activated venv would, and keep
    cookiecutter's replay files and clones out of the user's home folder."""
    tools = str(Path(sys.executable).parent)
    if os.environ["PATH"].split(os.pathsep)[0] != tools:
        os.environ["PATH"] = os.pathsep.join([tools, os.environ["PATH"]])
    if "COOKIECUTTER_CONFIG" not in os.environ:
        base = Path(config.rootpath) / ".cache" / "cookiecutter"
        base.mkdir(parents=True, exist_ok=True)
        settings = base / "config.yaml"
        text = f"replay_dir: '{base / 'replay'}'\ncookiecutters_dir: '{base / 'clones'}'\n"
        partial = base / f"config.{os.getpid()}.tmp"
        partial.write_text(text)
        partial.replace(settings)  # atomic, as xdist workers do this at the same time
        os.environ["COOKIECUTTER_CONFIG"] = str(settings)
