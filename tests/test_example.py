"""The rendered example is current (a fresh render of its answers) and passes its own checks."""

from __future__ import annotations

import shutil
from pathlib import Path

from .environments import check_in_shared_environment, rendered_test_environment
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


def test_the_example_passes_its_own_checks(tmp_path: Path) -> None:
    project = tmp_path / "example"
    shutil.copytree(EXAMPLE_DIR, project, ignore=shutil.ignore_patterns(*UNKEPT))
    answers = recorded_answers(project)

    environment = rendered_test_environment(answers)
    check_in_shared_environment(
        project, answers["python_version"], tmp_path / "venv", run_tests=True, **environment
    )
