"""``make template-update``: take the template's changes since this project was rendered (or last
updated) with cruft, and stop loudly if any did not apply cleanly.

cruft merges the template's change into each file three ways; where it cannot, it leaves
conflict markers, ``*.rej`` files or unmerged paths and still reports success. This checks for
each of them, lists what it finds and exits 1, so nothing half-merged is committed. It also says
which answers the template added (given their defaults) or no longer asks.
"""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

STATE = Path(".cruft.json")
# A line that starts a conflict's side, as git and ``git apply -3`` write them.
MARKERS = ("<<<<<<< ", ">>>>>>> ")


def git(*arguments: str) -> list[str]:
    """Lines of git's output."""
    result = subprocess.run(  # noqa: S603
        ["git", *arguments],  # noqa: S607 (git from the PATH, as for any developer)
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def answers(state: dict[str, Any]) -> dict[str, Any]:
    """The answers a state records (not the tools' own ``_`` entries)."""
    context: dict[str, Any] = state["context"]["cookiecutter"]
    return {key: value for key, value in context.items() if not key.startswith("_")}


def conflicts() -> dict[str, list[str]]:
    """Each file the update could not merge, with how: unmerged, rejected hunks, markers."""
    untracked = git("ls-files", "--others", "--exclude-standard")
    rejected = [path for path in untracked if path.endswith(".rej")]
    found: dict[str, list[str]] = {}
    for path in git("diff", "--name-only", "--diff-filter=U"):
        found.setdefault(path, []).append("unmerged")
    for path in rejected:
        found.setdefault(path.removesuffix(".rej"), []).append(f"rejected hunks in {path}")
    # Changed against the last commit, staged or not (a three-way merge stages what it merges).
    for path in sorted({*git("diff", "--name-only", "HEAD"), *untracked} - set(rejected)):
        if has_markers(Path(path)):
            found.setdefault(path, []).append("conflict markers")
    return found


def has_markers(file: Path) -> bool:
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):  # gone, or binary: no markers
        return False
    return any(line.startswith(MARKERS) for line in lines)


def main() -> int:
    if not STATE.is_file():
        print(f"No {STATE}: this project does not record its template (render it from a clone).")
        return 1
    inside = subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"],  # noqa: S607
        capture_output=True,
        check=False,
    )
    if inside.returncode != 0:
        print("An update is merged with git: commit the project first (git init, git add -A,")
        print("git commit), so nothing of yours can be lost.")
        return 1
    if git("status", "--porcelain"):
        print("Commit or stash your changes first: an update starts from a clean working tree.")
        return 1
    before = json.loads(STATE.read_text(encoding="utf-8"))
    update = [sys.executable, "-m", "cruft", "update", "--skip-apply-ask"]
    if subprocess.run(update, check=False).returncode != 0:  # noqa: S603
        print("cruft could not update the project: see its message above.")
        return 1
    after = json.loads(STATE.read_text(encoding="utf-8"))
    if found := conflicts():
        print("\nThe update did not apply cleanly. Resolve each of these, delete the .rej files,")
        print("then `git add` the files and run `make check`:")
        print("\n".join(f"  {path}: {', '.join(how)}" for path, how in sorted(found.items())))
        return 1
    old, new = answers(before), answers(after)
    for key in sorted(new.keys() - old.keys()):
        print(f"New answer {key}: given its default, {new[key]!r}.")
    for key in sorted(old.keys() - new.keys()):
        print(f"Answer {key} ({old[key]!r}) is no longer asked; what it chose stays as it is.")
    if before["commit"] == after["commit"]:
        print(f"Up to date with the template ({after['commit'][:12]}).")
    else:
        print(f"Updated from the template's {before['commit'][:12]} to {after['commit'][:12]}.")
        print("Review the changes (git diff), then commit them.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
