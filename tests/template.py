"""The template under test: its answers, and rendering it into a folder."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from cookiecutter.main import cookiecutter

TEMPLATE_DIR = Path(__file__).resolve().parents[1]
HOOKS_DIR = TEMPLATE_DIR / "hooks"
PROJECT_TEMPLATE = TEMPLATE_DIR / "{{cookiecutter.project_slug}}"
CONTEXT: dict[str, Any] = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text("utf-8"))

# The answers a user is asked for, with their defaults (the first entry of a choice).
QUESTIONS = {key: value for key, value in CONTEXT.items() if not key.startswith("_")}
DEFAULTS = {key: value[0] if isinstance(value, list) else value for key, value in QUESTIONS.items()}


def bake(output_dir: Path, answers: Mapping[str, Any] | None = None) -> Path:
    """Render the template with --no-input and these answers; return the project folder."""
    project = cookiecutter(
        str(TEMPLATE_DIR),
        no_input=True,
        extra_context=dict(answers or {}),
        output_dir=str(output_dir),
    )
    return Path(project)


def recorded_answers(project: Path) -> dict[str, Any]:
    """The answers a rendered project recorded in its replay file."""
    replay = json.loads((project / ".cookiecutter.json").read_text("utf-8"))
    answers: dict[str, Any] = replay["cookiecutter"]
    return answers


def load_hook(name: str) -> ModuleType:
    """Import a hook script as a module, unrendered, to test its functions."""
    spec = importlib.util.spec_from_file_location(name, HOOKS_DIR / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while it executes
    spec.loader.exec_module(module)
    return module
