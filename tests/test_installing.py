"""Every answer's dependencies resolve the way its users install them: each value of every
option that adds dependencies is locked by Poetry and by uv (both must accept the rendered
constraints), and plain pip installs a service with its model package."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .environments import run, run_resolving_with_poetry, seeing_shared_packages
from .matrix import CHOICES, Answers, case_id, is_valid
from .template import DEFAULTS, bake

# Answers that change no dependency: each case takes their defaults.
NO_DEPENDENCIES = {"python_version", "dependency_manager", "ci", "license"}
LOCKED_OPTIONS = [option for option in CHOICES if option not in NO_DEPENDENCIES]


def lock_cases() -> list[Answers]:
    """Few answer sets that together hold every value of every option in ``LOCKED_OPTIONS``:
    each takes, in order, every value not yet held that the answers so far allow."""
    uncovered = [(option, value) for option in LOCKED_OPTIONS for value in CHOICES[option]]
    cases: list[Answers] = []
    while uncovered:
        case: Answers = {}
        for option, value in list(uncovered):
            if option not in case and is_valid({**DEFAULTS, **case, option: value}):
                case[option] = value
                uncovered.remove((option, value))
        cases.append(case)
    return cases


LOCK_CASES = lock_cases()


def test_the_lock_cases_hold_every_value() -> None:
    held = {(option, case.get(option)) for case in LOCK_CASES for option in case}
    assert held == {(option, value) for option in LOCKED_OPTIONS for value in CHOICES[option]}


@pytest.mark.slow
@pytest.mark.parametrize("manager", ["poetry", "uv"])
@pytest.mark.parametrize("answers", LOCK_CASES, ids=case_id)
def test_every_option_value_locks(manager: str, answers: Answers, tmp_path: Path) -> None:
    project = bake(tmp_path, {**answers, "dependency_manager": manager, "init_git": False})

    if manager == "poetry":
        run_resolving_with_poetry(["poetry", "lock"], project, "poetry")
    else:
        run(["uv", "lock"], cwd=project)

    assert (project / f"{manager}.lock").is_file()


@pytest.mark.slow
def test_plain_pip_installs_the_model_package_then_the_service(tmp_path: Path) -> None:
    """``pip install ./model .`` as the docs give it, into a venv that sees the shared packages:
    pip resolves the service's pinned model to the package beside it, and builds both."""
    project = bake(tmp_path / "render", {"ml_serving": "yes", "init_git": False})
    python, _ = seeing_shared_packages(project, DEFAULTS["python_version"], tmp_path / "venv")

    pip: list[str | Path] = [sys.executable, "-m", "pip", "--python", python]
    run([*pip, "install", "--quiet", "./model", "."], cwd=project)

    run([*pip, "check"], cwd=project)  # every requirement met, the pinned model's too
    code = "import my_service.main, my_service_model; print(my_service_model.NAME)"
    assert run([python, "-c", code], cwd=tmp_path).strip()
