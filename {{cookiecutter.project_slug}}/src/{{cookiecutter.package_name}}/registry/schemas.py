"""What a service registers and what the registry answers about it."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Self

from fastapi import Path
from pydantic import (
    AnyUrl,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    UrlConstraints,
    field_validator,
    model_validator,
)

# A path segment and a log field as it is: lowercase letters, digits, and . _ - inside.
SLUG = r"^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$"

HttpUrl = Annotated[AnyUrl, UrlConstraints(allowed_schemes=["http", "https"], max_length=2048)]
Tag = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[^\s,]+$")]
ServiceId = Annotated[
    str, Path(pattern=SLUG, description="Chosen by the service; unique per instance.")
]


class Status(StrEnum):
    """Consul's statuses: 2xx passing, 429 warning, anything else critical."""

    PASSING = "passing"
    WARNING = "warning"
    CRITICAL = "critical"


class Registration(BaseModel):
    """A service instance, as it registers itself."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "name": "web-crawler",
                "url": "http://10.0.0.7:8000",
                "tags": ["web_crawler", "examplehost.com", "dirty"],
                "health_url": "http://10.0.0.7:8000/health/ready",
                "openapi_url": "http://10.0.0.7:8000/openapi.json",
            }
        },
    )

    name: str = Field(pattern=SLUG, description="The service's name, shared by its instances.")
    url: HttpUrl = Field(description="Where the instance serves its API.")
    tags: list[Tag] = Field(default_factory=list, max_length=64)
    health_url: HttpUrl = Field(description="Checked with GET; 2xx is healthy.")
    openapi_url: HttpUrl | None = Field(default=None, description="Its OpenAPI document.")
    interval: float = Field(default=10.0, ge=1, le=3600, description="Seconds between checks.")
    timeout: float = Field(default=5.0, gt=0, le=300, description="Seconds a check may take.")
    deregister_after: float = Field(
        default=600.0,
        ge=1,
        le=7 * 24 * 3600,
        description="Seconds critical before the instance is removed.",
    )

    @field_validator("name")
    @classmethod
    def _no_separator(cls, name: str) -> str:
        # The merged OpenAPI document renames a service's parts "{name}__{part}".
        if "__" in name:
            raise ValueError("must not hold '__'")
        return name

    @model_validator(mode="after")
    def _timeout_within_interval(self) -> Self:
        if self.timeout > self.interval:
            raise ValueError("timeout must not exceed interval")
        return self


class Health(BaseModel):
    status: Status = Field(description="critical until the first check answers.")
    checked_at: datetime | None = Field(description="When the last check finished.")
    output: str = Field(description="What the last check saw: 'HTTP 200', 'timeout', ...")


class Service(Registration):
    """A registered instance and its health."""

    model_config = ConfigDict(json_schema_extra=None)

    id: str
    registered_at: datetime
    health: Health
