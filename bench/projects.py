"""A rendered project's own packages, shared by the benchmark and the template's tests."""

from __future__ import annotations

import re
from pathlib import Path


def subprojects(project: Path) -> list[Path]:
    """Packages of the project's own in folders of their own (the model package, say), which the
    service depends on by path: they are installed from their folders, not from an index."""
    return sorted(path.parent for path in project.glob("*/pyproject.toml"))


def distribution_name(requirement: str) -> str:
    """The distribution a requirement names, normalised (PEP 503)."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement)
    if name is None:
        raise ValueError(f"not a requirement: {requirement!r}")
    return re.sub(r"[-_.]+", "-", name.group()).lower()
