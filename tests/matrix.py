"""Which answer sets the suite renders: the defaults, each answer changed alone, and the pairs
of answers that interact. New options in cookiecutter.json join the matrix by themselves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from .template import QUESTIONS

Answers = dict[str, Any]

CHOICES = {key: value for key, value in QUESTIONS.items() if isinstance(value, list)}
BOOLEANS = {key: value for key, value in QUESTIONS.items() if isinstance(value, bool)}

SINGLE_CHANGES: list[Answers] = [
    {},
    *({key: value} for key, values in CHOICES.items() for value in values[1:]),
    *({key: not default} for key, default in BOOLEANS.items()),
]

# Answers that meet in the same files: the build backend and CI commands come from the dependency
# manager, the Docker base image and CI interpreter from the Python version, and the license
# expression must be accepted by each build backend; the database adds dependencies to each build
# and a PostgreSQL service to each CI.
INTERACTING_PAIRS: list[Answers] = [
    {"dependency_manager": "uv", "ci": "gitlab"},
    {"dependency_manager": "uv", "python_version": "3.13"},
    {"dependency_manager": "uv", "license": "Proprietary"},
    {"dependency_manager": "uv", "install_dependencies": True},
    {"ci": "gitlab", "python_version": "3.11"},
    {"project_name": "Café Inventory API", "package_name": "inventory"},
    {"database": "postgresql", "dependency_manager": "uv"},
    {"database": "postgresql", "ci": "gitlab"},
    {"database": "none", "dependency_manager": "uv"},
]

CASES: list[Answers] = SINGLE_CHANGES + INTERACTING_PAIRS


def case_id(answers: Answers) -> str:
    return "-".join(f"{key}={value}" for key, value in answers.items()) or "defaults"


def installs(answers: Answers) -> bool:
    """Cases whose post-generation hook locks and installs over the network."""
    return bool(answers.get("install_dependencies"))


def cases(where: Callable[[Answers], bool] = lambda answers: True) -> list[Any]:
    """The matrix (or the part ``where`` selects) as pytest params; the cases that install over
    the network are marked slow."""
    return [
        pytest.param(answers, id=case_id(answers), marks=[pytest.mark.slow] * installs(answers))
        for answers in CASES
        if where(answers)
    ]
