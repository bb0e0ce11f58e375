"""Every rendered variant passes its own lint, format check, strict type check and security
scan; the covering subset of the matrix also passes its own tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from .environments import (
    check_in_shared_environment,
    check_with_manager,
    pip_index_url,
    rendered_test_environment,
    run,
    without_managers_on_path,
)
from .matrix import Answers, cases, runs_full_tests
from .template import bake, recorded_answers


@pytest.mark.parametrize("case", cases(tag_full_tests=True))
def test_rendered_project_passes_its_own_checks(case: Answers, tmp_path: Path) -> None:
    """Static checks on every case; the project's own pytest too on the cases whose id ends in
    +pytest, a small subset of the cases that still holds every value of every option."""
    project = bake(tmp_path / "render", case)
    answers = recorded_answers(project)
    env = rendered_test_environment(answers)

    if (project / ".venv").is_dir():
        # The post-generation hook installed the project: check it as its user would.
        check_with_manager(project, answers["dependency_manager"], **env)
    else:
        check_in_shared_environment(
            project,
            answers["python_version"],
            tmp_path / "venv",
            run_tests=runs_full_tests(case),
            **env,
        )


@pytest.mark.slow
def test_uv_user_path_installs_in_the_hook_then_checks(tmp_path: Path) -> None:
    """install_dependencies=yes with uv and no uv on the PATH: the hook installs uv into the
    project's .tools/, then runs `uv lock` and `uv sync`; then `uv run` with that uv."""
    with without_managers_on_path():
        project = bake(tmp_path, {"dependency_manager": "uv", "install_dependencies": True})

    assert (project / "uv.lock").is_file()
    assert (project / ".venv" / "bin" / "python").is_file()
    check_with_manager(project, str(project / ".tools" / "bin" / "uv"))


@pytest.mark.slow
def test_poetry_user_path_make_install_then_check(tmp_path: Path) -> None:
    """The default answers, then `make install` with no Poetry on the PATH (it installs Poetry
    into the project's .tools/, then the project) and `poetry run ...` with that Poetry."""
    project = bake(tmp_path)

    with without_managers_on_path():
        try:
            run(["make", "install"], cwd=project)
        except AssertionError as error:
            if "not found" not in str(error):
                raise
            # Some package indexes serve only the standard simple API, not the per-release
            # JSON API that Poetry's built-in PyPI source reads; then use the index pip uses,
            # as a user would.
            poetry = str(project / ".tools" / "bin" / "poetry")
            run([poetry, "source", "add", "--priority=primary", "index", pip_index_url()], project)
            run(["make", "install"], cwd=project)

    assert (project / "poetry.lock").is_file()
    assert (project / ".venv" / "bin" / "python").is_file()  # poetry.toml keeps it in the project
    assert not (project / ".venv" / "bin" / "poetry").exists()  # the manager stays in .tools/
    check_with_manager(project, str(project / ".tools" / "bin" / "poetry"))
