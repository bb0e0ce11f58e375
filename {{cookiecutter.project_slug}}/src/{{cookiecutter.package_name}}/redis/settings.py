"""The Redis client's settings (``REDIS_*``)."""

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings

from ..config import feature_settings


class RedisSettings(BaseSettings):
    model_config = feature_settings("REDIS_")

    url: SecretStr = Field(
        default=SecretStr("redis://127.0.0.1:6379/0"),
        description="redis://[:password@]host:port/db (rediss:// for TLS).",
    )
    max_connections: int = Field(default=20, ge=1, description="The pool's bound, per process.")
    timeout: float = Field(default=0.25, gt=0, description="Seconds for any one call.")
    key_prefix: str = Field(
        default="{{ cookiecutter.project_slug }}:", description="Before every key this service writes."
    )
    client_name: str = Field(default="{{ cookiecutter.project_slug }}", pattern=r"^\S+$")
    cache_ttl: int = Field(default=60, ge=1, description="Seconds a cached item read is kept.")
    rate_limit_lease: float = Field(
        default=0.05,
        gt=0,
        le=1,
        description="Share of a limit a process takes from Redis at once (1/s or less: one).",
    )
