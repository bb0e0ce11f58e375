"""Every rendered variant passes its own lint, format check, strict type check and security
scan; the matrix's full-test cases also pass their own tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from .environments import (
    check_in_shared_environment,
    check_with_manager,
    rendered_test_environment,
    without_managers_on_path,
)
from .matrix import Answers, cases, installs, runs_full_tests
from .template import bake, recorded_answers


@pytest.mark.parametrize("case", cases(tag_full_tests=True))
def test_rendered_project_passes_its_own_checks(case: Answers, tmp_path: Path) -> None:
    """Static checks on every case; the project's own pytest too on the cases whose id ends in
    +pytest, a few cases that together hold every value of every option and keep every set of
    files. (Poetry's install path is the example's: tests/test_example.py.)"""
    if installs(case):
        # The user's path: no Poetry or uv on the PATH, so the hook installs the manager into
        # the project's .tools/, then locks and installs; then `uv run ...` with that manager.
        with without_managers_on_path():
            project = bake(tmp_path / "render", case)
        answers = recorded_answers(project)
        manager = answers["dependency_manager"]
        assert (project / f"{manager}.lock").is_file()
        assert (project / ".venv" / "bin" / "python").is_file()
        manager_in_tools = str(project / ".tools" / "bin" / manager)
        check_with_manager(project, manager_in_tools, **rendered_test_environment(answers))
        return

    project = bake(tmp_path / "render", case)
    answers = recorded_answers(project)
    check_in_shared_environment(
        project,
        answers["python_version"],
        tmp_path / "venv",
        run_tests=runs_full_tests(case),
        **rendered_test_environment(answers),
    )
