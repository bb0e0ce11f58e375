"""Bearer settings refuse what would make tokens forgeable, each with one clear line; without a
key, only development and test run, on a development key, with the token helper."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from {{ cookiecutter.package_name }}.auth.bearer import dev_tokens
from {{ cookiecutter.package_name }}.auth.bearer.scheme import BearerTokens
from {{ cookiecutter.package_name }}.auth.bearer.settings import BearerSettings
from {{ cookiecutter.package_name }}.auth.identity import Identity
from {{ cookiecutter.package_name }}.config import Environment, Settings, SettingsError, load

from support.auth import app_with
from support.bearer import PUBLIC_PEM
from support.settings import refusal

SECRET = "s" * 32


@pytest.fixture(autouse=True)
def no_key_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test configures its key itself (the session configures one through the
    environment)."""
    monkeypatch.delenv("AUTH_JWT_PUBLIC_KEY")


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"AUTH_ALGORITHMS": "RS256,none"}, "AUTH_ALGORITHMS: Value error, 'none' is never"),
        ({"AUTH_ALGORITHMS": "RS256,HS256"}, "AUTH_ALGORITHMS: Value error, HMAC (HS*) and"),
        ({"AUTH_ALGORITHMS": "RS1"}, "AUTH_ALGORITHMS: Value error, unknown algorithms"),
        ({"AUTH_ALGORITHMS": "HS256"}, "settings: Value error, HMAC algorithms in AUTH_ALGO"),
        ({"AUTH_JWT_PUBLIC_KEY": "not a key"}, "AUTH_JWT_PUBLIC_KEY: Value error, not a PEM"),
        ({"AUTH_JWT_SECRET": "short"}, "AUTH_JWT_SECRET: Value error, must be at least 32"),
        (
            {"AUTH_JWT_SECRET": SECRET, "AUTH_ALGORITHMS": "RS256"},
            "settings: Value error, AUTH_JWT_SECRET verifies HMAC algorithms only",
        ),
        (
            {"AUTH_JWT_SECRET": SECRET, "AUTH_JWKS_URL": "https://login.example.com/jwks"},
            "settings: Value error, set only one of AUTH_JWKS_URL",
        ),
        ({"AUTH_JWKS_URL": "not a url"}, "AUTH_JWKS_URL: Input should be a valid URL"),
    ],
)
def test_unsafe_settings_stop_startup_in_one_line(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], message: str
) -> None:
    assert refusal(monkeypatch, BearerSettings, variables).startswith(f"invalid setting {message}")


def test_empty_variables_count_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """As Compose passes variables the shell does not set."""
    for name in ("AUTH_JWKS_URL", "AUTH_ISSUER", "AUTH_AUDIENCE", "AUTH_ALGORITHMS"):
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("AUTH_JWT_SECRET", SECRET)

    settings = load(BearerSettings)

    assert (settings.jwks_url, settings.issuer, settings.audience) == (None, None, None)
    assert settings.accepted_algorithms == ["HS256"]


def test_a_secret_verifies_hs256_by_default() -> None:
    assert BearerSettings(jwt_secret=SecretStr(SECRET)).accepted_algorithms == ["HS256"]
    assert BearerSettings(jwt_public_key=PUBLIC_PEM).accepted_algorithms == ["RS256"]


@pytest.mark.parametrize("environment", [Environment.STAGING, Environment.PRODUCTION])
def test_without_a_key_the_service_does_not_start_outside_development(
    environment: Environment,
) -> None:
    with pytest.raises(SettingsError, match=r"^invalid setting AUTH_JWKS_URL: set it"):
        BearerTokens(Settings(environment=environment), BearerSettings())


@pytest.fixture
def development_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    key_file = tmp_path / "var" / "dev-jwt-key.pem"
    monkeypatch.setattr(dev_tokens, "KEY_FILE", key_file)
    return key_file


def test_development_tokens_work_in_development(development_key: Path) -> None:
    settings = Settings(environment=Environment.DEVELOPMENT)
    app = app_with([BearerTokens(settings, BearerSettings())], settings)
    with TestClient(app) as client:
        issued = client.post("/dev/token", json={"subject": "dev", "scopes": ["items:write"]})
        token = issued.json()["access_token"]
        listed = client.get("/api/v1/items", headers={"Authorization": f"Bearer {token}"})
    again = BearerTokens(settings, BearerSettings())  # another worker: the same key

    assert issued.status_code == 200
    assert listed.status_code == 200
    assert development_key.stat().st_mode & 0o777 == 0o600
    assert again.verifier.verify(token) == Identity("dev", frozenset({"items:write"}), "bearer")


@pytest.mark.parametrize("environment", [Environment.STAGING, Environment.PRODUCTION])
def test_the_token_helper_is_never_mounted_outside_development(
    environment: Environment, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTH_JWT_SECRET", SECRET)
    settings = Settings(environment=environment)
    scheme = BearerTokens(settings)

    assert scheme.routes() == []
    client = TestClient(app_with([scheme], settings))
    assert client.post("/dev/token", json={}).status_code == 404


def test_with_a_providers_key_there_is_no_token_helper() -> None:
    settings = Settings(environment=Environment.DEVELOPMENT)

    assert BearerTokens(settings, BearerSettings(jwt_public_key=PUBLIC_PEM)).routes() == []
