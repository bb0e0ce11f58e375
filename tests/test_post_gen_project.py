"""The post-generation hook: prune table, answers record, installs and git that never lose work."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

from .environments import path_without_managers
from .template import CONTEXT, PROJECT_TEMPLATE, TEMPLATE_DIR, bake, load_hook, recorded_answers

hook = load_hook("post_gen_project")


def test_every_manifest_path_exists_in_the_template() -> None:
    for entry in hook.MANIFEST:
        for path in (*entry.paths, *entry.variants, *entry.variants.values()):
            assert (PROJECT_TEMPLATE / path).exists(), f"{entry.name}: {path}"


def test_every_condition_reads_only_known_answers() -> None:
    from .matrix import CASES
    from .template import DEFAULTS

    for case in CASES:
        answers = {**DEFAULTS, **case}
        for entry in hook.MANIFEST:
            assert isinstance(entry.when(answers), bool), entry.name


def claimed_by(path: str) -> list[str]:
    """The manifest entries that list ``path`` or a folder holding it."""
    return [
        entry.name
        for entry in hook.MANIFEST
        for listed in (*entry.paths, *entry.variants)
        if path == listed or path.startswith(f"{listed}/")
    ]


def test_every_file_of_an_entry_belongs_to_that_entry_alone() -> None:
    listed = [path for entry in hook.MANIFEST for path in (*entry.paths, *entry.variants)]
    for root in listed:
        files = [PROJECT_TEMPLATE / root]
        if files[0].is_dir():
            files = [path for path in files[0].rglob("*") if path.is_file()]
        for file in files:
            relative = str(file.relative_to(PROJECT_TEMPLATE))
            assert len(claimed_by(relative)) == 1, (relative, claimed_by(relative))


def test_variants_replace_their_file_and_are_gone_otherwise(tmp_path: Path) -> None:
    from .matrix import CASES
    from .template import DEFAULTS

    with_variants = [entry for entry in hook.MANIFEST if entry.variants]
    for number, case in enumerate(CASES):
        answers = {**DEFAULTS, **case}
        root = tmp_path / str(number)
        for entry in with_variants:
            for variant, target in entry.variants.items():
                for path, text in ((variant, f"variant of {entry.name}"), (target, "original")):
                    (root / path).parent.mkdir(parents=True, exist_ok=True)
                    (root / path).write_text(text)
        chosen: dict[str, str] = {}  # target -> the entry whose variant stands in for it
        for entry in with_variants:
            if entry.when(answers):
                for target in entry.variants.values():
                    assert target not in chosen, (answers, target)  # one variant per file
                    chosen[target] = entry.name

        # A target may belong to an entry of its own (a feature's file), gone with the feature.
        removed = set(hook.unchosen_paths(answers))
        hook.prune(root, answers)

        for entry in with_variants:
            for variant, target in entry.variants.items():
                assert not (root / variant).exists()
                if target in removed:
                    assert not (root / target).exists()
                    continue
                expected = f"variant of {chosen[target]}" if target in chosen else "original"
                assert (root / target).read_text() == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), (False, False), ("yes", True), ("False", False), ("n", False), ("1", True)],
)
def test_reads_booleans_from_json_or_text(value: object, expected: bool) -> None:
    assert hook.as_bool(value) is expected


def test_answers_record_replays_to_the_same_project(tmp_path: Path) -> None:
    from cookiecutter.main import cookiecutter

    first = bake(tmp_path / "first", {"dependency_manager": "uv", "license": "BSD-3-Clause"})
    replayed = Path(
        cookiecutter(
            str(PROJECT_TEMPLATE.parent),
            replay=str(first / ".cookiecutter.json"),
            output_dir=str(tmp_path / "second"),
        )
    )

    def tree(root: Path) -> dict[str, bytes]:
        return {
            str(path.relative_to(root)): path.read_bytes()
            for path in root.rglob("*")
            if path.is_file() and ".git" not in path.parts
        }

    assert tree(replayed) == tree(first)
    assert "_output_dir" not in recorded_answers(first)


def fake_tool(folder: Path, name: str, exit_code: int) -> None:
    folder.mkdir(exist_ok=True)
    script = folder / name
    script.write_text(f'#!/bin/sh\necho "{name} $*" >> "$(dirname "$0")/calls"\nexit {exit_code}\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def path_with(folder: Path) -> str:
    """PATH with ``folder`` first and without any real poetry or uv."""
    return os.pathsep.join([str(folder), path_without_managers()])


def test_missing_tool_is_installed_in_the_project_or_the_command_is_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", path_with(tmp_path / "bin"))
    # No index and no configuration: pip fails at once, as it does offline.
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_NO_INDEX", "1")

    project = bake(tmp_path, {"install_dependencies": True})

    output = capfd.readouterr().out
    assert "poetry is not on the PATH: installing poetry>=2.5,<3 into .tools/" in output
    assert "poetry could not be installed" in output
    assert "then run: make install" in output
    assert (project / "pyproject.toml").is_file()
    assert not (project / ".tools").exists()  # nothing half-made left behind


@pytest.mark.parametrize("manager", ["poetry", "uv"])
def test_failing_tool_prints_the_command_and_keeps_the_project(
    manager: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    fake_tool(tmp_path / "bin", manager, exit_code=3)
    monkeypatch.setenv("PATH", path_with(tmp_path / "bin"))

    project = bake(tmp_path, {"install_dependencies": True, "dependency_manager": manager})

    output = capfd.readouterr().out
    assert f"'{manager} lock' failed (exit code 3)" in output
    assert "Once the problem is fixed, run: make install" in output
    assert (tmp_path / "bin" / "calls").read_text() == f"{manager} lock\n"
    assert (project / "src").is_dir()


def test_install_runs_lock_then_install_outside_any_active_virtualenv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    fake_tool(tmp_path / "bin", "poetry", exit_code=0)
    monkeypatch.setenv("PATH", path_with(tmp_path / "bin"))
    monkeypatch.setenv("VIRTUAL_ENV", str(tmp_path / "someone-elses-venv"))

    bake(tmp_path, {"install_dependencies": True})

    assert (tmp_path / "bin" / "calls").read_text() == "poetry lock\npoetry install\n"
    output = capfd.readouterr().out
    assert "$ poetry lock\n" in output
    assert "make install" not in output
    assert hook.tool_environment(tmp_path).get("VIRTUAL_ENV") is None


def git_log(project: Path) -> str:
    return subprocess.run(
        ["git", "log", "--format=%s"], cwd=project, capture_output=True, text=True, check=True
    ).stdout


def isolated_git(monkeypatch: pytest.MonkeyPatch, home: Path, *, identity: bool) -> None:
    """Git that reads no system or user configuration, with or without an identity."""
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    for variable in (
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "EMAIL",
    ):
        monkeypatch.delenv(variable, raising=False)
    home.mkdir(exist_ok=True)
    config = "[user]\n\tname = Tester\n\temail = tester@example.com\n" if identity else ""
    (home / "gitconfig").write_text(config)


def test_git_repository_with_a_first_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolated_git(monkeypatch, tmp_path / "home", identity=True)

    project = bake(tmp_path / "out")

    assert git_log(project) == "Initial commit\n"
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True, check=True
    )
    assert status.stdout == ""


def test_git_without_identity_says_how_to_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    isolated_git(monkeypatch, tmp_path / "home", identity=False)

    project = bake(tmp_path / "out")

    assert (project / ".git").is_dir()
    assert "git config --global user.email" in capfd.readouterr().out
    log = subprocess.run(["git", "log"], cwd=project, capture_output=True, check=False)
    assert log.returncode != 0  # no commit yet


def test_no_nested_repository_inside_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    isolated_git(monkeypatch, tmp_path / "home", identity=True)
    subprocess.run(["git", "init", "--quiet", str(tmp_path / "mono")], check=True)

    project = bake(tmp_path / "mono")

    assert not (project / ".git").exists()
    assert "inside another git repository" in capfd.readouterr().out


def test_init_git_false_leaves_no_repository(tmp_path: Path) -> None:
    project = bake(tmp_path, {"init_git": False})

    assert not (project / ".git").exists()


def test_next_steps_name_the_folder_relative_to_the_shell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PWD", str(tmp_path))
    answers = {"dependency_manager": "uv", "__install_command": "uv sync"}

    steps = hook.next_steps(tmp_path / "my-service", answers, installed=False)

    assert "  cd my-service\n" in steps
    assert "make install    # uv sync (uv into .tools/ first if it is not on the PATH)" in steps
    assert "http://127.0.0.1:8000/docs" in steps
    assert "make install" not in hook.next_steps(tmp_path / "x", answers, installed=True)


def test_a_render_records_what_an_update_needs(tmp_path: Path) -> None:
    project = bake(tmp_path, {"init_git": False})

    state = json.loads((project / ".cruft.json").read_text())
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=TEMPLATE_DIR, capture_output=True, text=True, check=True
    )
    assert state["template"] == str(TEMPLATE_DIR)
    assert state["commit"] == head.stdout.strip()
    context = state["context"]["cookiecutter"]
    assert context["database"] == "sqlite"
    assert context["_template_version"] == CONTEXT["_template_version"]
    assert context["_commit"] == state["commit"]
    assert "_output_dir" not in context
    assert "src/my_service/api/v1/items.py" in state["skip"]
    assert {".env", "poetry.lock", "uv.lock", ".cruft.json"} <= set(state["skip"])
    assert all((project / path).exists() for path in state["skip"] if "/" in path)


@pytest.mark.parametrize(
    ("given", "source"),
    [
        ("gh:acme/service-template", "https://github.com/acme/service-template.git"),
        ("gl:acme/service-template", "https://gitlab.com/acme/service-template.git"),
        ("https://git.example.com/t.git", "https://git.example.com/t.git"),
        ("git@github.com:acme/t.git", "git@github.com:acme/t.git"),
    ],
)
def test_the_template_source_is_one_git_clones(given: str, source: str) -> None:
    assert hook.template_source({"_template": given, "_repo_dir": "/clones/t"}) == source


def test_a_template_outside_git_records_no_update_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PWD", str(tmp_path))
    answers = {"_template": "template", "_repo_dir": "template", "package_name": "x"}
    (tmp_path / "template").mkdir()
    (tmp_path / "project").mkdir()

    hook.record_update_source(tmp_path / "project", answers)

    assert not (tmp_path / "project" / ".cruft.json").exists()
    assert "is not a git repository" in capfd.readouterr().out


def test_an_updates_render_only_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """cruft renders the old and the new template to compare them (its context names the
    commit): no git repository, no install, no record of the source, no advice."""
    fake_tool(tmp_path / "bin", "poetry", exit_code=0)
    monkeypatch.setenv("PATH", path_with(tmp_path / "bin"))

    from cookiecutter.generate import generate_context, generate_files
    from cookiecutter.prompt import prompt_for_config

    context = generate_context(
        context_file=str(TEMPLATE_DIR / "cookiecutter.json"),
        extra_context={"install_dependencies": True},
    )
    # As cruft renders: the prompts answered with the recorded answers, the commit added.
    context["cookiecutter"] = prompt_for_config(context, no_input=True)
    context["cookiecutter"]["_commit"] = "abc123"
    project = Path(generate_files(str(TEMPLATE_DIR), context, output_dir=str(tmp_path)))

    assert not (project / ".git").exists()
    assert not (project / ".cruft.json").exists()
    assert not (tmp_path / "bin" / "calls").exists()
    assert "Next steps" not in capfd.readouterr().out
