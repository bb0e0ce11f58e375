"""The database's settings: ``DATABASE_URL``, ``DATABASE_POOL_SIZE``, ..."""

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# URLs as hosting platforms hand them out, and the async driver each needs.
ASYNC_DRIVERS = {
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "sqlite": "sqlite+aiosqlite",
}


class DatabaseSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="DATABASE_", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    # A secret: the URL may hold a password. postgres:// and sqlite:// URLs get async drivers.
    url: SecretStr = SecretStr("sqlite+aiosqlite:///var/my_service.sqlite3")
    pool_size: int = Field(default=5, ge=1, description="Connections kept per process.")
    max_overflow: int = Field(default=10, ge=0, description="Extra ones under load.")
    timeout: float = Field(
        default=5.0, gt=0, description="Seconds to wait for a connection before answering 503."
    )
    migrate_on_start: bool = Field(
        default=True,
        description="Migrate the schema before serving (for SQLite; run `migrate` otherwise).",
    )

    @field_validator("url")
    @classmethod
    def _async_driver(cls, url: SecretStr) -> SecretStr:
        scheme, separator, rest = url.get_secret_value().partition("://")
        return SecretStr(f"{ASYNC_DRIVERS.get(scheme, scheme)}{separator}{rest}")
