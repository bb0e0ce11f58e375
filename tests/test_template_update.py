"""Updating a service rendered long ago from a newer template, as its team does: the template as
a git repository with a history, a project rendered from its first commit and committed, then
``make template-update`` (cruft underneath). The team's work is never lost: its edits survive,
a conflict stops the update naming the file, a file it deleted stays deleted."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cookiecutter.main import cookiecutter

from .environments import run
from .template import TEMPLATE_DIR

TEMPLATE_PARTS = ("cookiecutter.json", "hooks", "{{cookiecutter.project_slug}}")
PROJECT = "{{cookiecutter.project_slug}}"
IDENTITY = {
    "GIT_AUTHOR_NAME": "Template Tests",
    "GIT_AUTHOR_EMAIL": "tests@example.com",
    "GIT_COMMITTER_NAME": "Template Tests",
    "GIT_COMMITTER_EMAIL": "tests@example.com",
}


def git(folder: Path, *arguments: str) -> str:
    return run(["git", *arguments], cwd=folder)


def commit(folder: Path, message: str) -> None:
    git(folder, "add", "--all")
    git(folder, "commit", "--quiet", "--message", message)


@pytest.fixture(autouse=True)
def git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commits by the template's maintainers and by the team, on any machine."""
    for variable, value in IDENTITY.items():
        monkeypatch.setenv(variable, value)


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """This template, copied into a git repository of its own with one commit, plus an answer
    (``retired``) that its next commit may remove."""
    repo = tmp_path / "template"
    repo.mkdir()
    for part in TEMPLATE_PARTS:
        source = TEMPLATE_DIR / part
        if source.is_dir():
            shutil.copytree(source, repo / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, repo / part)
    change_answers(repo, lambda answers: {**answers, "retired": "yes"})
    git(repo, "init", "--quiet", "--initial-branch=main")
    commit(repo, "The template")
    return repo


def change_answers(repo: Path, change: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    path = repo / "cookiecutter.json"
    path.write_text(json.dumps(change(json.loads(path.read_text())), indent=2) + "\n")


def render(template: Path, folder: Path, **answers: Any) -> Path:
    """A project rendered from the template's current commit (and committed by its hook, unless
    ``init_git`` is false)."""
    return Path(
        cookiecutter(str(template), no_input=True, extra_context=answers, output_dir=str(folder))
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1))


def update(project: Path) -> subprocess.CompletedProcess[str]:
    """The script ``make template-update`` runs before relocking and checking, on this suite's
    interpreter (which has cruft)."""
    return subprocess.run(
        [sys.executable, "scripts/template_update.py"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


MAKEFILE_HELP = "## Lint, type check and test (CI also runs audit)"
ITEMS_ROUTE = "src/my_service/api/v1/items.py"


@pytest.mark.slow
def test_an_update_takes_the_templates_change_and_keeps_the_teams(
    template: Path, tmp_path: Path
) -> None:
    """Through ``make template-update`` with uv: the team's own edit to a template file and its
    edit to a file it owns survive, the template's change arrives, and the project's own checks
    pass (it relocks, installs and runs ``make check``)."""
    project = render(template, tmp_path / "rendered", dependency_manager="uv")
    run(["uv", "lock"], cwd=project)
    commit(project, "Lock")
    # The team's work: a target of its own in the Makefile, its own routes.
    makefile = project / "Makefile"
    makefile.write_text(makefile.read_text() + "\nhello: ## Say hello\n\t@echo hello\n")
    edit(project / ITEMS_ROUTE, '"""', '"""Our items.\n\n')
    commit(project, "Our changes")
    # The template's next commit changes a line of the Makefile and the items' routes.
    edit(template / PROJECT / "Makefile", MAKEFILE_HELP, "## Lint, type check and test")
    items = template / PROJECT / "src/{{cookiecutter.package_name}}/api/v1/items.py"
    items.write_text(items.read_text() + "\n# The template's own comment.\n")
    commit(template, "A change")

    output = run(["make", "--no-print-directory", "template-update"], cwd=project)

    assert "Updated from the template's" in output
    makefile_text = makefile.read_text()
    assert "check: lint typecheck test ## Lint, type check and test\n" in makefile_text
    assert "hello: ## Say hello" in makefile_text  # the team's target kept
    routes = (project / ITEMS_ROUTE).read_text()
    assert routes.startswith('"""Our items.')  # the team's file, untouched
    assert "The template's own comment" not in routes
    state = json.loads((project / ".cruft.json").read_text())
    assert state["commit"] == git(template, "rev-parse", "HEAD").strip()


def test_a_conflicting_edit_stops_the_update_naming_the_file(
    template: Path, tmp_path: Path
) -> None:
    project = render(template, tmp_path / "rendered")
    edit(project / "Makefile", MAKEFILE_HELP, "## Our way of checking")
    commit(project, "Our help text")

    result = update_after_another_help_text(template, project)

    assert "The update did not apply cleanly" in result.stdout
    assert "  Makefile: unmerged, conflict markers" in result.stdout


def test_a_deleted_file_stays_deleted_and_changed_answers_are_told(
    template: Path, tmp_path: Path
) -> None:
    """The team deleted a file the template then changed; the template added an answer (with a
    file that uses it) and removed one."""
    project = render(template, tmp_path / "rendered")
    (project / ".pre-commit-config.yaml").unlink()
    commit(project, "No pre-commit")
    hooks = template / PROJECT / ".pre-commit-config.yaml"
    hooks.write_text(hooks.read_text() + "# A change to a file the team deleted.\n")
    change_answers(
        template,
        lambda answers: {
            **{key: value for key, value in answers.items() if key != "retired"},
            "greeting": "hello",
        },
    )
    (template / PROJECT / "GREETING.md").write_text("{{ cookiecutter.greeting }}\n")
    commit(template, "An answer added, one removed")

    result = update(project)

    assert result.returncode == 0, result.stdout + result.stderr
    assert not (project / ".pre-commit-config.yaml").exists()
    assert (project / "GREETING.md").read_text() == "hello\n"
    assert "New answer greeting: given its default, 'hello'." in result.stdout
    assert "Answer retired ('yes') is no longer asked" in result.stdout


def test_an_up_to_date_project_is_told_so(template: Path, tmp_path: Path) -> None:
    project = render(template, tmp_path / "rendered")

    result = update(project)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Up to date with the template" in result.stdout
    assert git(project, "status", "--porcelain") == ""


def test_hunks_that_do_not_apply_stop_the_update(template: Path, tmp_path: Path) -> None:
    """A project first committed with edits (the render itself not in its history): git cannot
    merge three ways, cruft leaves ``*.rej`` files and says it succeeded; the update fails."""
    project = render(template, tmp_path / "rendered", init_git=False)
    edit(project / "Makefile", MAKEFILE_HELP, "## Our way of checking")
    git(project, "init", "--quiet", "--initial-branch=main")
    commit(project, "Our service")

    result = update_after_another_help_text(template, project)

    assert "  Makefile: rejected hunks in Makefile.rej" in result.stdout


def update_after_another_help_text(
    template: Path, project: Path
) -> subprocess.CompletedProcess[str]:
    """The template changes the line of the Makefile the team changed; the update must fail."""
    edit(template / PROJECT / "Makefile", MAKEFILE_HELP, "## The template's way of checking")
    commit(template, "Another help text")

    result = update(project)

    assert result.returncode == 1, result.stdout + result.stderr
    return result
