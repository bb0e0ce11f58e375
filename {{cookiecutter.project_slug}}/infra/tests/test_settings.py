import re
from collections.abc import Callable
from pathlib import Path

import pytest
from aws_cdk import App, Stack
from aws_cdk.assertions import Template
from aws_cdk.aws_logs import LogGroup
from dotenv import dotenv_values

from {{ cookiecutter.package_name }}_infra.settings import (
    INFRA_DIR,
    RETENTION,
    DeploySettings,
    SettingsError,
    load,
)

PROJECT_DIR = Path(__file__).resolve().parents[2]
# A variable .env.example documents: set, or shown commented out (# NAME=...).
DOCUMENTED = re.compile(r"^#? ?([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def test_the_defaults(deploy_variables: Callable[..., None]) -> None:
    deploy_variables()

    settings = load()

    assert settings.memory_mb == 512
    assert settings.timeout_seconds == 29
    assert settings.architecture == "arm64"
    assert settings.throttle_burst == 200
    assert settings.throttle_rate == 100
    assert settings.log_retention_days == 30
    assert settings.stack_name == "{{ cookiecutter.project_slug }}"
    assert settings.tracing is {{ "True" if cookiecutter.tracing != "none" else "False" }}


def test_the_files_default_to_the_project_whatever_the_working_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)

    settings = DeploySettings()

    assert INFRA_DIR == PROJECT_DIR / "infra"
    assert settings.package_dir == PROJECT_DIR / "build" / "lambda"
    assert settings.environment_file == PROJECT_DIR / "infra" / "function.env"


def test_variables_set_the_settings(deploy_variables: Callable[..., None]) -> None:
    deploy_variables(
        memory_mb="2048",
        timeout_seconds="10",
        architecture="x86_64",
        throttle_burst="300",
        throttle_rate="0.5",
        log_retention_days="7",
        stack_name="Staging-1",
        tracing="{{ "false" if cookiecutter.tracing != "none" else "true" }}",
    )

    settings = load()

    assert settings.memory_mb == 2048
    assert settings.timeout_seconds == 10
    assert settings.architecture == "x86_64"
    assert settings.throttle_burst == 300
    assert settings.throttle_rate == 0.5
    assert settings.log_retention_days == 7
    assert settings.stack_name == "Staging-1"
    assert settings.tracing is {{ "False" if cookiecutter.tracing != "none" else "True" }}


def test_an_empty_variable_counts_as_unset(deploy_variables: Callable[..., None]) -> None:
    deploy_variables(memory_mb="")

    assert load().memory_mb == 512


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("log_retention_days", "31", "keeps logs for 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180,"),
        ("timeout_seconds", "31", "less than or equal to 30"),
        ("timeout_seconds", "0", "greater than or equal to 1"),
        ("memory_mb", "64", "greater than or equal to 128"),
        ("memory_mb", "10241", "less than or equal to 10240"),
        ("architecture", "arm", "'arm64' or 'x86_64'"),
        ("throttle_burst", "-1", "greater than or equal to 0"),
        ("throttle_rate", "10001", "less than or equal to 10000"),
        ("stack_name", "1-service", "should match pattern"),
        ("environment_file", "/nonexistent/function.env", "does not point to a file"),
    ],
)
def test_invalid_settings_are_refused_naming_the_variable(
    deploy_variables: Callable[..., None], name: str, value: str, message: str
) -> None:
    deploy_variables(**{name: value})

    with pytest.raises(SettingsError) as refused:
        load()

    assert str(refused.value).startswith(f"invalid setting LAMBDA_{name.upper()}: ")
    assert message in str(refused.value)


def test_each_retention_is_the_number_of_days_cloudwatch_keeps_logs() -> None:
    stack = Stack(App())
    for days, retention in RETENTION.items():
        LogGroup(stack, f"Logs{days}", retention=retention)

    log_groups = Template.from_stack(stack).find_resources("AWS::Logs::LogGroup")

    kept = sorted(group["Properties"]["RetentionInDays"] for group in log_groups.values())
    assert kept == sorted(RETENTION)
    assert len(kept) == 22


def test_the_environment_file_takes_values_from_the_deploying_shell(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    environment_file = tmp_path / "function.env"
    environment_file.write_text(
        "# a comment\nPLAIN=value\nFROM_SHELL=${SHELL_VALUE}\nNOT_IN_SHELL=${UNSET_VALUE}\n"
        "EMPTY=\nBARE\n",
        "utf-8",
    )
    monkeypatch.setenv("SHELL_VALUE", "from the shell")
    monkeypatch.delenv("UNSET_VALUE", raising=False)

    environment = DeploySettings(environment_file=environment_file).function_environment()

    assert environment == {"PLAIN": "value", "FROM_SHELL": "from the shell"}


def test_every_setting_of_function_env_is_one_the_service_documents() -> None:
    settings = DeploySettings()
    documented = set(DOCUMENTED.findall((PROJECT_DIR / ".env.example").read_text("utf-8")))
    names = set(dotenv_values(settings.environment_file, interpolate=False))

    assert {"ENVIRONMENT", "LOG_FORMAT", "DOCS_ENABLED"} <= documented
    assert names
    assert names - documented == set()


def test_function_env_configures_the_service_for_production() -> None:
    environment = DeploySettings().function_environment()

    assert environment["ENVIRONMENT"] == "production"
    assert environment["LOG_FORMAT"] == "json"
    assert environment["DOCS_ENABLED"] == "false"
{%- if cookiecutter.tracing == "opentelemetry" %}
    assert environment["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://localhost:4318"
    assert environment["OTEL_EXPORTER_OTLP_PROTOCOL"] == "http/protobuf"
{%- else %}
    assert not [name for name in environment if name.startswith("OTEL_")]
{%- endif %}
{%- if cookiecutter.database == "sqlite" %}


def test_the_sqlite_database_is_in_the_functions_writable_folder() -> None:
    environment = DeploySettings().function_environment()

    database = "sqlite+aiosqlite:////tmp/{{ cookiecutter.package_name }}.sqlite3"
    assert environment["DATABASE_URL"] == database
    assert environment["DATABASE_MIGRATE_ON_START"] == "true"
{%- elif cookiecutter.database == "postgresql" %}


def test_the_database_url_comes_from_the_deploying_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "postgresql+asyncpg://service@db.example.com:5432/{{ cookiecutter.package_name }}"
    monkeypatch.setenv("DATABASE_URL", url)

    environment = DeploySettings().function_environment()

    assert environment["DATABASE_URL"] == url
    assert environment["DATABASE_POOL_SIZE"] == "1"
    assert environment["DATABASE_MAX_OVERFLOW"] == "0"


def test_without_a_database_url_in_the_shell_the_function_has_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)

    assert "DATABASE_URL" not in DeploySettings().function_environment()
{%- else %}


def test_without_a_database_there_is_no_database_setting() -> None:
    environment = DeploySettings().function_environment()

    assert not [name for name in environment if name.startswith("DATABASE_")]
{%- endif %}
