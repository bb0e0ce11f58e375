"""The template's own code (hooks and this suite) lints clean and type-checks strictly."""

from __future__ import annotations

import subprocess

import pytest

from .template import TEMPLATE_DIR


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "hooks", "tests", "bench"],
        ["ruff", "format", "--check", "hooks", "tests", "bench"],
        ["mypy"],
    ],
    ids=" ".join,
)
def test_repository_code_passes(command: list[str]) -> None:
    tool, *arguments = command
    result = subprocess.run(
        [tool, *arguments], cwd=TEMPLATE_DIR, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
