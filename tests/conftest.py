from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.tools import put_tools_on_path


def pytest_configure(config: pytest.Config) -> None:
    """Find the suite's tools (uv, poetry, ...) as the benchmark does, and keep cookiecutter's
    replay files and clones out of the user's home folder."""
    put_tools_on_path()
    if "COOKIECUTTER_CONFIG" not in os.environ:
        base = Path(config.rootpath) / ".cache" / "cookiecutter"
        base.mkdir(parents=True, exist_ok=True)
        settings = base / "config.yaml"
        text = f"replay_dir: '{base / 'replay'}'\ncookiecutters_dir: '{base / 'clones'}'\n"
        partial = base / f"config.{os.getpid()}.tmp"
        partial.write_text(text)
        partial.replace(settings)  # atomic, as xdist workers do this at the same time
        os.environ["COOKIECUTTER_CONFIG"] = str(settings)
