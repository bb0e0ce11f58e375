"""Where and how the events are archived, from ``ARCHIVE_*`` variables."""

from pydantic import AnyHttpUrl, Field, SecretStr
from pydantic_settings import BaseSettings

from ..config import feature_settings


class ArchiveSettings(BaseSettings):
    model_config = feature_settings("ARCHIVE_")

    bucket: str = Field(
        default="{{ cookiecutter.project_slug }}-events",
        pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
        description="The S3 bucket (it must exist).",
    )
    prefix: str = Field(
        default="events",
        pattern=r"^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*$",
        description="Where in the bucket the objects go: <prefix>/<type>/dt=.../hour=.../...",
    )
    group: str = Field(
        default="{{ cookiecutter.project_slug }}-archive",
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The archive's consumer at the broker (group, queue or durable consumer): "
        "archivers of the same group share the work and resume where it stopped.",
    )
    max_bytes: int = Field(
        default=16 * 1024 * 1024,
        ge=1024,
        description="Bytes of events (uncompressed) held before they are uploaded.",
    )
    max_events: int = Field(
        default=10_000,
        ge=1,
        le=100_000,
        description="Events held before they are uploaded (also what the broker may deliver "
        "unacknowledged).",
    )
    max_seconds: float = Field(
        default=60.0,
        gt=0,
        le=3600,
        description="Seconds the oldest event held may wait before they are uploaded.",
    )
    upload_timeout: float = Field(
        default=30.0, gt=0, le=600, description="Seconds one upload may take before a retry."
    )
    metrics_port: int = Field(
        default=9464, ge=0, le=65535, description="Port of the archive's /metrics (0: none)."
    )
    s3_endpoint_url: AnyHttpUrl | None = Field(
        default=None, description="An S3-compatible store (MinIO, say); AWS's S3 when unset."
    )
    s3_region: str = Field(default="us-east-1", min_length=1)
    s3_access_key_id: SecretStr | None = Field(
        default=None, description="With the secret; unset: AWS's own chain (AWS_*, a role)."
    )
    s3_secret_access_key: SecretStr | None = None
