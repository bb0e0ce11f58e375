"""The settings of accounts: ``ACCOUNTS_SIGNING_KEYS``, ``ACCOUNTS_ACCESS_TOKEN_SECONDS``, ...

The signing keys are Ed25519 private keys in PEM, from the variable or a file (a mounted
secret): the first signs, every one verifies, so a key is rotated by putting the new one first
and removing the old one once the tokens it signed have expired.
"""

from pathlib import Path
from typing import Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings

from ..config import feature_settings
from ..rate_limits.rules import parse_limits

DAY = 86_400


class AccountsSettings(BaseSettings):
    model_config = feature_settings("ACCOUNTS_")

    signing_keys: SecretStr | None = Field(
        default=None, description="Ed25519 private keys in PEM, newest first."
    )
    signing_keys_file: Path | None = Field(
        default=None, description="A file holding the keys instead (a mounted secret)."
    )
    issuer: str | None = Field(default=None, description="The iss claim (default: the service).")
    audience: str | None = Field(
        default=None, description="The aud claim (default: the service's name)."
    )
    access_token_seconds: int = Field(default=900, ge=60, le=DAY, description="Access tokens.")
    leeway_seconds: int = Field(
        default=30, ge=0, le=300, description="Clock skew allowed between replicas."
    )
    token_cache_size: int = Field(
        default=10_000, ge=0, description="Verified tokens remembered until they expire (0: off)."
    )
    refresh_idle_seconds: int = Field(
        default=14 * DAY, ge=60, description="A refresh token unused this long expires."
    )
    refresh_absolute_seconds: int = Field(
        default=30 * DAY, ge=60, description="A login's refresh tokens end this long after it."
    )
    password_min_length: int = Field(default=12, ge=8, le=64)
    password_max_length: int = Field(
        default=128, ge=64, le=1024, description="Longer ones are refused before hashing."
    )
    registration: bool = Field(default=False, description="Anyone may create an account.")
    registration_scopes: str = Field(
        default="", description="Scopes of a self-registered account (space-separated)."
    )
    login_limits_per_username: str = Field(
        default="5/minute;20/hour", description="Failed logins allowed per username."
    )
    login_limits_per_address: str = Field(
        default="30/minute;200/hour", description="Failed logins allowed per client address."
    )
    hashing_concurrency: int = Field(
        default=4, ge=1, le=64, description="Passwords hashed at once per process (memory)."
    )

    @field_validator("login_limits_per_username", "login_limits_per_address")
    @classmethod
    def _limits(cls, limits: str) -> str:
        parse_limits(limits)  # ValueError says what is wrong
        return limits

    @model_validator(mode="after")
    def _one_source_of_keys(self) -> Self:
        if self.signing_keys is not None and self.signing_keys_file is not None:
            raise ValueError("set only one of ACCOUNTS_SIGNING_KEYS and ACCOUNTS_SIGNING_KEYS_FILE")
        if self.refresh_absolute_seconds < self.refresh_idle_seconds:
            raise ValueError(
                "ACCOUNTS_REFRESH_ABSOLUTE_SECONDS must be at least ACCOUNTS_REFRESH_IDLE_SECONDS"
            )
        if self.password_max_length < self.password_min_length:
            raise ValueError("ACCOUNTS_PASSWORD_MAX_LENGTH must be at least the minimum")
        return self

    @property
    def configured_keys(self) -> str | None:
        """The PEM text of the keys, from wherever they are set."""
        if self.signing_keys is not None:
            return self.signing_keys.get_secret_value()
        if self.signing_keys_file is not None:
            return self.signing_keys_file.read_text("ascii")
        return None
