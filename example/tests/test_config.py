import re
from pathlib import Path

import pytest
from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

import my_service.features  # noqa: F401 (imports the enabled features' settings)
from my_service.config import (
    Environment,
    Settings,
    SettingsError,
    describe,
    env_files,
    get_settings,
    load,
)


def test_reads_unprefixed_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "staging")
    monkeypatch.setenv("PORT", "9000")
    monkeypatch.setenv("WORKERS", "4")

    settings = Settings()

    assert settings.environment is Environment.STAGING
    assert settings.port == 9000
    assert settings.workers == 4


@pytest.mark.parametrize(
    ("environment", "json_logs", "docs", "reload"),
    [
        (Environment.DEVELOPMENT, False, True, True),
        (Environment.TEST, True, True, False),
        (Environment.STAGING, True, True, False),
        (Environment.PRODUCTION, True, False, False),
    ],
)
def test_environment_selects_the_defaults(
    environment: Environment, json_logs: bool, docs: bool, reload: bool
) -> None:
    settings = Settings(environment=environment)

    assert settings.log_as_json is json_logs
    assert settings.serve_docs is docs
    assert settings.reload_enabled is reload


def test_explicit_settings_override_the_environment_defaults() -> None:
    settings = Settings(
        environment=Environment.PRODUCTION, docs_enabled=True, log_format="text", reload=True
    )

    assert settings.serve_docs
    assert not settings.log_as_json
    assert settings.reload_enabled


def test_cors_origins_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example, https://b.example")

    assert Settings().cors_origins == ["https://a.example", "https://b.example"]


def test_refuses_a_wildcard_origin_with_credentials() -> None:
    with pytest.raises(ValidationError, match="CORS_ORIGINS cannot be"):
        Settings(cors_origins=["*"], cors_allow_credentials=True)


def test_secrets_stay_out_of_reprs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("API_TOKEN", "s3cr3t")

    settings = Settings()

    assert "s3cr3t" not in repr(settings)
    assert settings.api_token is not None
    assert settings.api_token.get_secret_value() == "s3cr3t"


def test_a_bad_value_is_described_in_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PORT", "70000")

    with pytest.raises(ValidationError) as error:
        Settings()

    assert describe(error.value) == (
        "invalid setting PORT: Input should be less than or equal to 65535"
    )


def test_a_variable_that_is_not_json_is_described_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("API_DEPRECATIONS", "{v1: soon}")

    with pytest.raises(SettingsError) as stop:
        load(Settings)

    assert str(stop.value) == "invalid setting API_DEPRECATIONS: not valid JSON"


def test_get_settings_stops_on_a_bad_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    get_settings.cache_clear()

    try:
        with pytest.raises(SettingsError) as stop:
            get_settings()
    finally:
        get_settings.cache_clear()

    message = str(stop.value)
    assert message.startswith("invalid setting LOG_LEVEL: Input should be")
    assert "\n" not in message


def test_env_files_apply_in_development_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "development")
    assert env_files() == (".env", ".env.development")

    monkeypatch.setenv("ENVIRONMENT", "production")
    assert env_files() == ()


def documented_variables() -> set[str]:
    """The variables ``.env.example`` sets or shows (commented out)."""
    example = Path(__file__).parents[1] / ".env.example"
    names = set()
    for line in example.read_text("utf-8").splitlines():
        match = re.fullmatch(r"#? ?([A-Z][A-Z0-9_]*)=.*", line)
        if match:
            names.add(match.group(1))
    return names


def setting_variables(settings_class: type[BaseSettings]) -> set[str]:
    prefix = settings_class.model_config.get("env_prefix") or ""
    return {f"{prefix}{name}".upper() for name in settings_class.model_fields}


def service_settings_classes(base: type[BaseSettings] = BaseSettings) -> set[type[BaseSettings]]:
    """Every settings class of the service (its core's and its enabled features', which
    ``features.py`` imports)."""
    found = set()
    for subclass in base.__subclasses__():
        if subclass.__module__.startswith("my_service."):
            found.add(subclass)
        found |= service_settings_classes(subclass)
    return found


def test_env_example_documents_every_setting_and_nothing_else() -> None:
    classes = service_settings_classes()
    variables = set().union(*(setting_variables(settings_class) for settings_class in classes))

    assert Settings in classes

    assert documented_variables() == variables


def test_a_feature_setting_is_named_with_its_prefix_when_invalid(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class BrokerSettings(BaseSettings):
        model_config = SettingsConfigDict(env_prefix="BROKER_")
        port: int = 1

    monkeypatch.setenv("BROKER_PORT", "many")

    with pytest.raises(SettingsError, match=r"^invalid setting BROKER_PORT: "):
        load(BrokerSettings)
