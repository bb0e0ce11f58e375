"""Every answer set renders a complete, consistent project (no installs needed)."""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from .environments import path_without_managers
from .matrix import Answers, cases
from .template import PROJECT_TEMPLATE, bake, recorded_answers

UNRENDERED = re.compile(r"\{\{\s*cookiecutter\.|\{%|\{#")
BUILD_BACKENDS = {"poetry": "poetry.core.masonry.api", "uv": "uv_build"}
LICENSE_HEADINGS = {
    "MIT": "MIT License",
    "Apache-2.0": "Apache License",
    "BSD-3-Clause": "BSD 3-Clause License",
    "Proprietary": "Copyright (c)",
}
CI_FILES = {"github": ".github/workflows/ci.yml", "gitlab": ".gitlab-ci.yml"}


@pytest.fixture(scope="module", params=cases(files_only=True))
def project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Rendered once per answer set; the tests here only read it."""
    return bake(tmp_path_factory.mktemp("render"), request.param)


@pytest.fixture
def answers(project: Path) -> Answers:
    """The answers as rendered, read back from the record the project keeps."""
    return recorded_answers(project)


def rendered(project: Path) -> list[Path]:
    """What the template produced, leaving out git's and the dependency manager's folders."""
    return [path for path in project.rglob("*") if not {".git", ".venv"} & set(path.parts)]


def test_no_file_holds_unrendered_jinja(project: Path) -> None:
    leftovers = []
    for path in filter(Path.is_file, rendered(project)):
        text = path.read_text("utf-8", errors="replace")
        # GitHub's own ${{ expr }} syntax is not Jinja.
        if UNRENDERED.search(text.replace("${{", "")):
            leftovers.append(str(path.relative_to(project)))
    assert leftovers == []


def test_no_python_source_branches_on_answers_but_the_feature_list(project: Path) -> None:
    """Options add and remove files; inside the package only ``features.py`` lists them."""
    template_package = PROJECT_TEMPLATE / "src" / "{{cookiecutter.package_name}}"
    branching = [
        str(path.relative_to(template_package))
        for path in template_package.rglob("*.py")
        if "{% if" in path.read_text("utf-8") or "{%- if" in path.read_text("utf-8")
    ]
    assert branching == ["features.py"]


def test_unchosen_files_are_pruned(project: Path, answers: Answers) -> None:
    for ci, path in CI_FILES.items():
        assert (project / path).exists() == (answers["ci"] == ci), path
    assert (project / "poetry.toml").exists() == (answers["dependency_manager"] == "poetry")
    package = project / "src" / answers["package_name"]
    with_database = answers["database"] != "none"
    for folder in (
        package / "db",
        package / "models",
        package / "migrations",
        project / "tests/db",
    ):
        assert folder.exists() == with_database, folder
    assert (package / "repositories" / "in_memory_items.py").exists()
    store = (package / "api" / "v1" / "item_store.py").read_text("utf-8")
    assert ("InMemoryItemRepository" in store) == (not with_database)
    assert not list(package.rglob("*.memory.py"))
    auth = answers["auth"]
    assert (package / "auth").exists() == (auth != "none")
    with_bearer = auth in ("jwt", "jwt_and_api_key", "password")
    assert (package / "auth" / "bearer").exists() == with_bearer
    assert (package / "accounts").exists() == (auth == "password")
    assert (package / "auth" / "api_keys").exists() == (auth in ("api_key", "jwt_and_api_key"))
    access = (package / "api" / "v1" / "item_access.py").read_text("utf-8")
    assert ("require_scopes" in access) == (auth != "none")
    assert not list(project.rglob("*.auth.py"))
    tests_on_postgresql = answers["ci"] == "github" and answers["database"] == "postgresql"
    assert (project / ".github/workflows/postgresql.yml").exists() == tests_on_postgresql
    assert not (project / "licenses").exists()
    assert not list(project.rglob("__pycache__"))
    folders = filter(Path.is_dir, rendered(project))
    assert [folder for folder in folders if not any(folder.iterdir())] == []


def test_pyproject_declares_the_chosen_build(project: Path, answers: Answers) -> None:
    pyproject = tomllib.loads((project / "pyproject.toml").read_text("utf-8"))
    meta = pyproject["project"]

    assert meta["name"] == answers["project_slug"] == project.name
    assert meta["version"] == answers["version"]
    assert meta["description"] == answers["description"]
    assert meta["authors"] == [{"name": answers["author_name"], "email": answers["author_email"]}]
    assert meta["requires-python"] == ">=3.11,<4"
    assert any(dep.startswith("fastapi") for dep in meta["dependencies"])
    dev_tools = {re.split(r"[<>=\[]", dep)[0] for dep in pyproject["dependency-groups"]["dev"]}
    assert {"pytest", "mypy", "ruff"} <= dev_tools
    manager = answers["dependency_manager"]
    assert pyproject["build-system"]["build-backend"] == BUILD_BACKENDS[manager]
    package = answers["package_name"]
    if manager == "poetry":
        assert pyproject["tool"]["poetry"]["packages"] == [{"include": package, "from": "src"}]
    else:
        assert pyproject["tool"]["uv"]["build-backend"]["module-name"] == package
    assert (project / "src" / package / "__init__.py").is_file()


def test_license_is_the_chosen_one(project: Path, answers: Answers) -> None:
    text = (project / "LICENSE").read_text("utf-8")
    license_name = answers["license"]

    assert text.lstrip().startswith(LICENSE_HEADINGS[license_name])
    if license_name != "Apache-2.0":
        assert answers["author_name"] in text
    pyproject = tomllib.loads((project / "pyproject.toml").read_text("utf-8"))
    expected = "LicenseRef-Proprietary" if license_name == "Proprietary" else license_name
    assert pyproject["project"]["license"] == expected


def test_python_version_reaches_docker_and_ci(project: Path, answers: Answers) -> None:
    version = answers["python_version"]

    assert (project / ".python-version").read_text().strip() == version
    assert f"ARG PYTHON_VERSION={version}\n" in (project / "Dockerfile").read_text()
    if answers["ci"] == "gitlab":
        gitlab = yaml.safe_load((project / ".gitlab-ci.yml").read_text())
        assert gitlab["image"] == f"python:{version}"


def test_ci_runs_lint_type_check_and_tests(project: Path, answers: Answers) -> None:
    if answers["ci"] == "none":
        assert not any(project.joinpath(path).exists() for path in CI_FILES.values())
        return
    config: dict[str, Any] = yaml.safe_load((project / CI_FILES[answers["ci"]]).read_text())
    if answers["ci"] == "github":
        assert set(config) >= {"name", "jobs", "permissions"}
        steps = [step.get("run", "") for step in config["jobs"]["check"]["steps"]]
    else:
        steps = config["check"]["before_script"] + config["check"]["script"]
    make_steps = [step for step in steps if step.startswith("make ")]
    # GitHub starts the servers the tests need from docker-compose.yml; GitLab declares them.
    starts_servers = ["make test-services"] if answers["ci"] == "github" else []
    assert make_steps == [
        "make tools",
        "make install",
        "make lint",
        "make typecheck",
        *starts_servers,
        "make test",
        "make audit",
    ]
    if answers["ci"] == "gitlab":
        images = [service["name"] for service in config["check"].get("services", [])]
        variables = config["check"].get("variables", {})
        if answers["database"] == "postgresql":
            assert any(image.startswith("postgres:") for image in images)
            assert variables["TEST_DATABASE_URL"].startswith("postgresql")
        if answers["event_broker"] in BROKER_SERVERS:
            assert any(image.startswith(f"{answers['event_broker']}:") for image in images)
            assert BROKER_SERVERS[answers["event_broker"]] in variables
    makefile = (project / "Makefile").read_text()
    manager = answers["dependency_manager"]
    assert f"RUN := {manager} run\n" in makefile
    for target in ("tools", "install", "lint", "typecheck", "test", "audit"):
        assert re.search(rf"^{target}:[^#\n]* ## ", makefile, re.MULTILINE), target


LAMBDA_STEPS = ["make tools", "make install", "make lambda-package", "make lambda-synth"]


def test_the_lambda_option_brings_its_files_targets_and_ci_job(
    project: Path, answers: Answers
) -> None:
    on_lambda = answers["aws_lambda"] == "yes"
    package = project / "src" / answers["package_name"]
    for path in (package / "aws_lambda", project / "infra", project / "lambda.mk"):
        assert path.exists() == on_lambda, path
    pyproject = tomllib.loads((project / "pyproject.toml").read_text("utf-8"))
    dependencies = pyproject["project"]["dependencies"]
    assert any(dep.startswith("mangum") for dep in dependencies) == on_lambda
    # The stack is not part of the image.
    assert "infra" not in (project / "Dockerfile").read_text("utf-8")
    assert "infra" not in (project / ".dockerignore").read_text("utf-8")
    if on_lambda:
        # `make install` brings what the stack and its tests need, at the ranges infra/ declares.
        infra = tomllib.loads((project / "infra" / "pyproject.toml").read_text("utf-8"))
        stack_needs = set(infra["project"]["dependencies"]) | set(infra["dependency-groups"]["dev"])
        # (pydantic-settings is one of the service's own dependencies.)
        assert stack_needs <= set(pyproject["dependency-groups"]["dev"]) | set(dependencies)
    targets = subprocess.run(
        ["make", "help"], cwd=project, capture_output=True, text=True, check=True
    ).stdout
    for target in ("lambda-package", "lambda-synth", "lambda-deploy", "load-test"):
        assert (f"  {target} " in targets) == on_lambda, target
    assert "  test " in targets
    workflow = project / ".github/workflows/lambda.yml"
    assert workflow.exists() == (on_lambda and answers["ci"] == "github")
    if workflow.exists():
        steps = yaml.safe_load(workflow.read_text())["jobs"]["stack"]["steps"]
        assert [step["run"] for step in steps if "run" in step] == LAMBDA_STEPS
    if answers["ci"] == "gitlab":
        config: dict[str, Any] = yaml.safe_load((project / ".gitlab-ci.yml").read_text())
        assert ("lambda-stack" in config) == on_lambda
        if on_lambda:
            job = config["lambda-stack"]
            make_steps = [s for s in job["before_script"] + job["script"] if s.startswith("make")]
            assert make_steps == LAMBDA_STEPS
            # The stack's tests run in the check job too, on Node.js.
            assert any("nodejs.org" in step for step in config["check"]["before_script"])


# The brokers the tests share with other projects rather than start (a server each), and the
# variable that points the tests at it.
BROKER_SERVERS = {"rabbitmq": "RABBITMQ_URL", "nats": "NATS_SERVERS", "redis": "REDIS_URL"}


@pytest.mark.parametrize(
    "case", cases(lambda answers: answers.get("ci", "github") == "github", files_only=True)
)
def test_github_workflow_passes_actionlint(case: Answers, tmp_path: Path) -> None:
    project = bake(tmp_path, case)
    workflows = sorted(str(path) for path in (project / ".github" / "workflows").glob("*.yml"))
    result = subprocess.run(
        ["actionlint", "-no-color", *workflows],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_passes_hadolint(project: Path) -> None:
    result = subprocess.run(
        ["hadolint", "--failure-threshold", "info", "Dockerfile"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_test_modules_are_named_uniquely_across_options() -> None:
    """The rendered tests have no __init__.py, so mypy (and pytest) tell test modules apart by
    their file names: two options' tests of the same name break the render that has both."""
    names = [path.name for path in (PROJECT_TEMPLATE / "tests").rglob("test_*.py")]
    assert sorted({name for name in names if names.count(name) > 1}) == []


def make(project: Path, *arguments: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``make`` in the project, on a PATH without Poetry or uv."""
    environment = {**os.environ, "PATH": path_without_managers(), **env}
    return subprocess.run(
        ["make", "--no-print-directory", *arguments],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(params=["poetry", "uv"])
def fresh_project(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A render with each dependency manager, nothing installed."""
    return bake(tmp_path, {"dependency_manager": request.param, "init_git": False})


def test_make_help_shows_real_commands(fresh_project: Path) -> None:
    result = make(fresh_project, "help")

    assert result.returncode == 0, result.stderr
    assert "$(" not in result.stdout
    assert "python -m my_service" in result.stdout


def test_make_install_without_the_manager_or_python_says_what_to_install(
    fresh_project: Path,
) -> None:
    """No Poetry or uv on the PATH and no Python to install one with: one line, a failure, and
    nothing installed anywhere."""
    project = fresh_project
    result = make(project, "install", PYTHON="no-such-python")

    assert result.returncode != 0
    [line] = result.stderr.strip().splitlines()[:1]
    assert "is not on the PATH and there is no no-such-python to install it with" in line
    assert not (project / ".tools").exists()
    assert not (project / ".venv").exists()
