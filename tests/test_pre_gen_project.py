"""Bad answers are refused with one line naming the variable, and leave nothing on disk."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .matrix import CHOICES
from .template import DEFAULTS, TEMPLATE_DIR, load_hook

hook = load_hook("pre_gen_project")

VALID = {
    **DEFAULTS,
    "project_slug": "my-service",
    "package_name": "my_service",
}

REFUSED = [
    ("project_name", "", "project_name must not be empty"),
    ("project_name", "   ", "project_name must not be empty"),
    ("project_name", "Two\nlines", "project_name must be one line"),
    ("project_slug", "My-Service", "project_slug 'My-Service' must start with a lowercase letter"),
    ("project_slug", "my_service", "project_slug 'my_service' must start"),
    ("project_slug", "-service", "project_slug '-service' must start"),
    ("project_slug", "my--service", "project_slug 'my--service' must start"),
    ("project_slug", "9lives", "project_slug '9lives' must start"),
    ("project_slug", "../escape", "project_slug '../escape' must start"),
    ("project_slug", "a" * 65, "project_slug must be at most 64 characters"),
    ("project_slug", "fastapi", "project_slug 'fastapi' is the name of a package"),
    ("package_name", "my-service", "package_name 'my-service' is not a Python identifier"),
    ("package_name", "1service", "package_name '1service' is not a Python identifier"),
    ("package_name", "café", "package_name 'café' is not a Python identifier"),
    ("package_name", "MyService", "package_name 'MyService' must be lowercase"),
    ("package_name", "class", "package_name 'class' is a Python keyword"),
    ("package_name", "match", "package_name 'match' is a Python keyword"),
    ("package_name", "logging", "package_name 'logging' would shadow"),
    ("package_name", "typing", "package_name 'typing' would shadow"),
    ("package_name", "test", "package_name 'test' would shadow"),
    ("package_name", "tests", "package_name 'tests' would shadow"),
    ("package_name", "fastapi", "package_name 'fastapi' would shadow"),
    ("package_name", "pydantic_settings", "package_name 'pydantic_settings' would shadow"),
    ("description", "tab\tseparated", "description must be one line"),
    ("author_name", "", "author_name must be one non-empty line"),
    ("author_email", "not-an-email", "author_email 'not-an-email' is not an e-mail address"),
    ("author_email", "a@b", "author_email 'a@b' is not an e-mail address"),
    ("author_email", 'a"b@example.com', "is not an e-mail address"),
    ("version", "one", "version 'one' is not a PEP 440 version"),
    ("version", "1.0.0-", "version '1.0.0-' is not a PEP 440 version"),
    ("version", "", "version '' is not a PEP 440 version"),
]

ACCEPTED = [
    ("project_name", "Café Inventory API"),
    ("project_slug", "inventory-api2"),
    ("package_name", "inventory_api"),
    ("description", 'Says "hello" and \\ more'),
    ("author_email", "first.last+tag@sub.example.co.uk"),
    ("version", "1.0.0"),
    ("version", "2024.1"),
    ("version", "1.0a1"),
    ("version", "1.0.0-rc.1"),
    ("version", "1.0.post2.dev3"),
    ("version", "v1.2"),
    ("version", "1!2.0+local.7"),
]


@pytest.mark.parametrize(("name", "value", "message"), REFUSED)
def test_refuses_a_bad_answer_naming_the_variable(name: str, value: str, message: str) -> None:
    with pytest.raises(hook.InvalidAnswer) as refused:
        hook.validate({**VALID, name: value})

    assert str(refused.value).startswith(name)
    assert message in str(refused.value)


@pytest.mark.parametrize(("name", "value"), ACCEPTED)
def test_accepts_a_good_answer(name: str, value: str) -> None:
    hook.validate({**VALID, name: value})


def test_refuses_a_missing_answer() -> None:
    answers = {key: value for key, value in VALID.items() if key != "version"}

    with pytest.raises(hook.InvalidAnswer, match=r"^version must be text$"):
        hook.validate(answers)


def test_refuses_an_archive_without_a_broker() -> None:
    with pytest.raises(hook.InvalidAnswer, match=r"^event_archive=s3 .* choose an event_broker"):
        hook.validate({**VALID, "event_archive": "s3", "event_broker": "none"})

    hook.validate({**VALID, "event_archive": "s3", "event_broker": "kafka"})
    hook.validate({**VALID, "event_archive": "none", "event_broker": "none"})


@pytest.mark.parametrize("registry", ["client", "server"])
def test_refuses_a_registry_on_lambda(registry: str) -> None:
    with pytest.raises(hook.InvalidAnswer, match=rf"^aws_lambda=yes .*registry={registry}: "):
        hook.validate({**VALID, "aws_lambda": "yes", "service_registry": registry})

    hook.validate({**VALID, "aws_lambda": "no", "service_registry": registry})
    hook.validate({**VALID, "aws_lambda": "yes", "service_registry": "none"})


def render_with_cli(output_dir: Path, *answers: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "cookiecutter", "--no-input", str(TEMPLATE_DIR), *answers]
    return subprocess.run(
        [*command, "--output-dir", str(output_dir)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("package_name=logging", "ERROR: package_name 'logging' would shadow"),
        ("project_slug=Bad Slug", "ERROR: project_slug 'Bad Slug' must start"),
        ("project_name=", "ERROR: project_name must not be empty"),
        ("author_email=nobody", "ERROR: author_email 'nobody' is not an e-mail address"),
        ("version=latest", "ERROR: version 'latest' is not a PEP 440 version"),
        ("event_archive=s3", "ERROR: event_archive=s3 archives the events a broker carries"),
        ("aws_lambda=yes,service_registry=server", "ERROR: aws_lambda=yes cannot serve"),
        ("auth=password,database=none", "ERROR: auth=password keeps its users"),
    ],
)
def test_cli_refuses_and_leaves_nothing_behind(answer: str, message: str, tmp_path: Path) -> None:
    result = render_with_cli(tmp_path, *answer.split(","))

    assert result.returncode != 0
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("ERROR:")]
    assert len(error_lines) == 1
    assert error_lines[0].startswith(message)
    assert list(tmp_path.iterdir()) == []


def test_cli_will_not_render_over_an_existing_folder(tmp_path: Path) -> None:
    existing = tmp_path / "my-service"
    existing.mkdir()
    (existing / "notes.txt").write_text("mine")

    result = render_with_cli(tmp_path)

    assert result.returncode != 0
    assert "already exists" in result.stdout + result.stderr
    assert [path.name for path in existing.iterdir()] == ["notes.txt"]
    assert (existing / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("option", sorted(CHOICES))
def test_cli_refuses_an_unknown_value_of_every_choice(option: str, tmp_path: Path) -> None:
    result = render_with_cli(tmp_path, f"{option}=not-a-choice")

    assert result.returncode != 0
    assert option in result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_a_name_too_long_for_a_slug(tmp_path: Path) -> None:
    result = render_with_cli(tmp_path, "project_name=" + "Very Long Service Name " * 10)

    assert result.returncode != 0
    assert "ERROR: project_slug must be at most 64 characters" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_a_name_with_nothing_to_slug(tmp_path: Path) -> None:
    result = render_with_cli(tmp_path, "project_name=☕ !!!")

    assert result.returncode != 0
    assert "ERROR: project_slug '-' must start with a lowercase letter" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_non_ascii_names_are_transliterated(tmp_path: Path) -> None:
    result = render_with_cli(tmp_path, "project_name=Überwachungs-Dienst ☕", "init_git=no")

    assert result.returncode == 0, result.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["uberwachungs-dienst"]
    assert (tmp_path / "uberwachungs-dienst" / "src" / "uberwachungs_dienst").is_dir()
