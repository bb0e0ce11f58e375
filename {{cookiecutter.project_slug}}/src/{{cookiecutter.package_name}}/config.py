"""Service configuration, read from environment variables (twelve-factor).

Variables are unprefixed (``HOST``, ``PORT``, ...). A ``.env`` file is read in development only;
real deployments set the environment.
"""

import os
from enum import StrEnum
from functools import lru_cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    STAGING = "staging"
    PRODUCTION = "production"


LogLevel = Literal["TRACE", "DEBUG", "INFO", "SUCCESS", "WARNING", "ERROR", "CRITICAL"]


def _env_files() -> tuple[str, ...]:
    """``.env`` files apply in development only, so a stray file never configures production."""
    environment = os.environ.get("ENVIRONMENT", Environment.DEVELOPMENT)
    if environment != Environment.DEVELOPMENT:
        return ()
    return (".env", f".env.{environment}")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file_encoding="utf-8", extra="ignore", frozen=True)

    service_name: str = {{ cookiecutter.project_name | tojson }}
    environment: Environment = Environment.DEVELOPMENT
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: LogLevel = "INFO"
    docs_enabled: bool | None = Field(
        default=None, description="Serve /docs and /openapi.json; off in production by default."
    )

    @property
    def serve_docs(self) -> bool:
        if self.docs_enabled is not None:
            return self.docs_enabled
        return self.environment is not Environment.PRODUCTION


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings(_env_file=_env_files())
