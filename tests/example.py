"""The rendered example (``example/``): a render of recorded answers, kept in this repository for
teams to fork. Never edited by hand: ``.venv/bin/python -m tests.example`` renders it again, and
the suite fails while it differs from a fresh render.

Its ``.cruft.json`` names the template as ``..``, this repository seen from ``example/``, so
``make template-check`` and ``make template-update`` work there as in any render; a fork of the
example alone sets it to the template's URL.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from .template import TEMPLATE_DIR, bake

EXAMPLE_DIR = TEMPLATE_DIR / "example"
# The answers it is rendered with: the defaults and Kubernetes, no repository of its own (it
# lives in this one).
ANSWERS: dict[str, Any] = {"kubernetes": "yes", "init_git": False}
TEMPLATE_FROM_EXAMPLE = ".."
UPDATE_FILE = ".cruft.json"
# What a folder holds once used (caches, environments, data), never part of the example.
UNKEPT = frozenset(
    {"__pycache__", ".venv", ".tools", "var", ".mypy_cache", ".pytest_cache", ".ruff_cache"}
)


def render_example(destination: Path) -> Path:
    """The example as rendered now, in ``destination`` (a new folder)."""
    with tempfile.TemporaryDirectory() as scratch:
        project = bake(Path(scratch), ANSWERS)
        record_template_as_seen_from_the_example(project / UPDATE_FILE)
        shutil.copytree(project, destination, ignore=shutil.ignore_patterns(*UNKEPT))
    return destination


def record_template_as_seen_from_the_example(update_file: Path) -> None:
    state = json.loads(update_file.read_text("utf-8"))
    state["template"] = TEMPLATE_FROM_EXAMPLE
    state["context"]["cookiecutter"]["_template"] = TEMPLATE_FROM_EXAMPLE
    update_file.write_text(json.dumps(state, indent=2, ensure_ascii=False) + "\n", "utf-8")


def without_commit(update_file: Path) -> dict[str, Any]:
    """The update record without the template's commit, which moves with every commit of the
    template (the example records the one it was rendered from)."""
    state: dict[str, Any] = json.loads(update_file.read_text("utf-8"))
    state.pop("commit")
    state["context"]["cookiecutter"].pop("_commit")
    return state


def files_of(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != UPDATE_FILE and UNKEPT.isdisjoint(path.parts)
    }


def main() -> int:
    """Render the example again into ``example/``."""
    with tempfile.TemporaryDirectory() as scratch:
        fresh = render_example(Path(scratch) / "example")
        shutil.rmtree(EXAMPLE_DIR, ignore_errors=True)
        shutil.copytree(fresh, EXAMPLE_DIR)
    print(f"Rendered {EXAMPLE_DIR.relative_to(TEMPLATE_DIR)}/: the defaults but {ANSWERS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
