import pytest
from pydantic import ValidationError

from {{ cookiecutter.package_name }}.config import Environment, Settings


def test_reads_unprefixed_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "staging")
    monkeypatch.setenv("PORT", "9000")

    settings = Settings()

    assert settings.environment is Environment.STAGING
    assert settings.port == 9000


def test_refuses_an_invalid_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "70000")

    with pytest.raises(ValidationError, match="port"):
        Settings()


@pytest.mark.parametrize(
    ("environment", "docs_enabled", "expected"),
    [
        (Environment.DEVELOPMENT, None, True),
        (Environment.PRODUCTION, None, False),
        (Environment.PRODUCTION, True, True),
        (Environment.STAGING, False, False),
    ],
)
def test_docs_are_off_in_production_unless_enabled(
    environment: Environment, docs_enabled: bool | None, expected: bool
) -> None:
    settings = Settings(environment=environment, docs_enabled=docs_enabled)

    assert settings.serve_docs is expected
