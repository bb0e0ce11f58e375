"""Service configuration, read from environment variables (twelve-factor).

The core's variables are unprefixed (``HOST``, ``PORT``, ...); each feature reads its own, with
its prefix (``DATABASE_URL``, ...), through ``load()``. ``ENVIRONMENT`` selects the defaults for
log format and docs. ``.env`` and ``.env.<environment>`` files are read in development only; real
deployments set the environment.
"""

import os
import re
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Literal, Self, TypeVar

from pydantic import (
    BaseModel,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings import SettingsError as UnparsableSettingError

from .rate_limits.rules import Rules


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    STAGING = "staging"
    PRODUCTION = "production"


# Prometheus multiprocess mode is on when this variable names a directory (gunicorn_conf.py sets it
# for several workers). Kept here because gunicorn's master must not import prometheus_client.
METRICS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


LogLevel = Literal["TRACE", "DEBUG", "INFO", "SUCCESS", "WARNING", "ERROR", "CRITICAL"]
LogFormat = Literal["text", "json"]


class ApiDeprecation(BaseModel):
    """When an API version was deprecated and, optionally, when it goes away."""

    deprecated_on: date
    sunset_on: date | None = None


def comma_separated(value: object) -> object:
    """A list variable's items from ``a,b,c`` (stripped, empty ones dropped); a value that is not
    text (a list given in code) as it is."""
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class SettingsError(SystemExit):
    """Invalid configuration: stops startup with one readable line per bad variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file_encoding="utf-8", extra="ignore", frozen=True)

    service_name: str = {{ cookiecutter.project_name | tojson }}
    environment: Environment = Environment.DEVELOPMENT

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64, description="Worker processes (gunicorn if > 1).")
    reload: bool | None = Field(default=None, description="Reload on code changes; dev default.")
    graceful_timeout: int = Field(
        default=30, ge=0, description="Seconds in-flight requests get to finish on SIGTERM."
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="Proxies trusted for X-Forwarded-For/-Proto (comma-separated IPs or *).",
    )

    # Limits: what one request may cost.
    max_body_size: int = Field(default=1_048_576, ge=0, description="Bytes; larger is a 413.")
    request_timeout: float = Field(
        default=30.0, gt=0, description="Seconds until the response starts; then a 504."
    )
    rate_limits: dict[str, str] = Field(
        default_factory=dict,
        description='Per caller: {"POST /api/v1/items": "10/second", "default": "100/second"}.',
    )
    rate_limit_fail_closed: bool = Field(
        default=False, description="A shared rate-limit store away: 503 rather than unchecked."
    )

    log_level: LogLevel = "INFO"
    log_format: LogFormat | None = Field(default=None, description="Dev: text; others: json.")
    access_log: bool = True

    docs_enabled: bool | None = Field(default=None, description="Off in production by default.")
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    cors_allow_credentials: bool = False
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Host names served (*.example.com too); empty: any."
    )
    api_deprecations: dict[str, ApiDeprecation] = Field(
        default_factory=dict,
        description='Deprecated API versions, e.g. {"v1": {"deprecated_on": "2026-01-01"}}.',
    )
    # Example of a secret: SecretStr keeps it out of logs, reprs and tracebacks.
    api_token: SecretStr | None = None

    @model_validator(mode="before")
    @classmethod
    def _split_lists(cls, values: dict[str, object]) -> dict[str, object]:
        """Lists are comma-separated: CORS_ORIGINS=https://a.example,https://b.example."""
        for name in ("cors_origins", "allowed_hosts"):
            if name in values:
                values[name] = comma_separated(values[name])
        return values

    @field_validator("rate_limits")
    @classmethod
    def _rate_limits_parse(cls, rate_limits: dict[str, str]) -> dict[str, str]:
        Rules(rate_limits)  # raises ValueError on a bad entry
        return rate_limits

    @model_validator(mode="after")
    def _no_wildcard_with_credentials(self) -> Self:
        if self.cors_allow_credentials and "*" in self.cors_origins:
            raise ValueError("CORS_ORIGINS cannot be '*' when CORS_ALLOW_CREDENTIALS is true")
        return self

    @property
    def is_development(self) -> bool:
        return self.environment is Environment.DEVELOPMENT

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @property
    def serve_docs(self) -> bool:
        if self.docs_enabled is not None:
            return self.docs_enabled
        return not self.is_production

    @property
    def log_as_json(self) -> bool:
        if self.log_format is not None:
            return self.log_format == "json"
        return not self.is_development

    @property
    def reload_enabled(self) -> bool:
        if self.reload is not None:
            return self.reload
        return self.is_development and self.workers == 1


def env_files() -> tuple[str, ...]:
    """``.env`` files apply in development only, so a stray file never configures production."""
    environment = os.environ.get("ENVIRONMENT", Environment.DEVELOPMENT)
    if environment != Environment.DEVELOPMENT:
        return ()
    return (".env", f".env.{environment}")


def describe(error: ValidationError, prefix: str = "") -> str:
    """One line per invalid variable, named as it is set in the environment."""
    lines = []
    for problem in error.errors(include_url=False):
        name = "_".join(str(part) for part in problem["loc"])
        variable = (prefix + name).upper() if name else "settings"  # a rule over several
        lines.append(f"invalid setting {variable}: {problem['msg']}")
    return "\n".join(lines)


def feature_settings(prefix: str) -> SettingsConfigDict:
    """The configuration of a feature's settings class: variables named with ``prefix``; an
    empty one counts as unset (Compose passes on variables the shell does not set)."""
    return SettingsConfigDict(
        env_prefix=prefix,
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        frozen=True,
    )


AnySettings = TypeVar("AnySettings", bound=BaseSettings)


def load(settings_class: type[AnySettings]) -> AnySettings:
    """Settings of this class from the environment (and ``.env`` files in development); invalid
    ones stop the process with a clear message."""
    prefix = settings_class.model_config.get("env_prefix") or ""
    try:
        return settings_class(_env_file=env_files())
    except ValidationError as error:
        raise SettingsError(describe(error, prefix)) from None
    except UnparsableSettingError as error:  # a list or an object that is not JSON
        field = re.search(r'field "(\w+)"', str(error))
        variable = (prefix + field.group(1)).upper() if field else "settings"
        raise SettingsError(f"invalid setting {variable}: not valid JSON") from None


@lru_cache
def get_settings() -> Settings:
    """The process-wide core settings, read once."""
    return load(Settings)
