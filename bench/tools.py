"""Where the benchmark and the template suite find their tools (uv, cookiecutter, poetry, ...).

Both are run as ``.venv/bin/python -m ...``, often without an activated venv, so the tools
installed beside that interpreter are looked for first, then on the user's PATH.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

TOOLS_DIR = str(Path(sys.executable).parent)


def tools_path() -> str:
    """The user's PATH with this interpreter's bin directory first (once)."""
    path = os.environ.get("PATH", os.defpath)
    if path.split(os.pathsep)[0] == TOOLS_DIR:
        return path
    return os.pathsep.join([TOOLS_DIR, path])


def put_tools_on_path() -> None:
    """Let child processes that call tools by name (tests, hooks) find ours, as a venv would."""
    os.environ["PATH"] = tools_path()


def find_tool(name: str) -> str:
    """The executable ``name``, beside this interpreter or else on PATH."""
    found = shutil.which(name, path=tools_path())
    if found is None:
        raise FileNotFoundError(f"{name} was not found in {TOOLS_DIR} or on PATH")
    return found
