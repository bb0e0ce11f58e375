"""The rendered example is current (a fresh render of its answers), and a fork of it installs as its
users install it and passes its own checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .environments import (
    check_with_manager,
    rendered_test_environment,
    run_resolving_with_poetry,
    without_managers_on_path,
)
from .example import EXAMPLE_DIR, UNKEPT, UPDATE_FILE, files_of, render_example, without_commit
from .template import recorded_answers

REGENERATE = "render it again: .venv/bin/python -m tests.example"


def test_the_example_is_a_fresh_render(tmp_path: Path) -> None:
    fresh = render_example(tmp_path / "example")

    kept, rendered = files_of(EXAMPLE_DIR), files_of(fresh)
    differing = sorted(
        path for path in kept.keys() | rendered.keys() if kept.get(path) != rendered.get(path)
    )
    assert differing == [], f"example/ differs from a fresh render in {differing}: {REGENERATE}"
    assert without_commit(EXAMPLE_DIR / UPDATE_FILE) == without_commit(fresh / UPDATE_FILE), (
        f"example/{UPDATE_FILE} differs from a fresh render's: {REGENERATE}"
    )


@pytest.mark.slow
def test_a_fork_of_the_example_installs_and_passes_its_own_checks(tmp_path: Path) -> None:
    """As a team that forks it: `make install` with no Poetry on the PATH (it installs Poetry
    into the project's .tools/, then the project), then every check with `poetry run ...`."""
    project = tmp_path / "example"
    shutil.copytree(EXAMPLE_DIR, project, ignore=shutil.ignore_patterns(*UNKEPT))
    answers = recorded_answers(project)
    assert answers["dependency_manager"] == "poetry"

    poetry = str(project / ".tools" / "bin" / "poetry")  # where `make install` puts it
    with without_managers_on_path():
        run_resolving_with_poetry(["make", "install"], project, poetry)

    assert (project / "poetry.lock").is_file()
    assert (project / ".venv" / "bin" / "python").is_file()  # poetry.toml keeps it in the project
    assert not (project / ".venv" / "bin" / "poetry").exists()  # the manager stays in .tools/
    check_with_manager(project, poetry, **rendered_test_environment(answers))
