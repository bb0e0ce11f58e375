"""Where the registry is and how this service appears in it, from ``REGISTRY_*`` and
``SERVICE_*`` variables."""

import re
from typing import Annotated

from pydantic import AnyUrl, Field, SecretStr, StringConstraints, UrlConstraints, field_validator
from pydantic_settings import BaseSettings, NoDecode

from ..config import comma_separated, feature_settings

HttpUrl = Annotated[AnyUrl, UrlConstraints(allowed_schemes=["http", "https"])]
Tag = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[^\s,]+$")]


def slug(text: str) -> str:
    """``text`` as a registry name or id: lowercase letters and digits, runs of others as -."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:64].strip("-") or "service"


class RegistrationSettings(BaseSettings):
    model_config = feature_settings("")

    registry_url: HttpUrl | None = Field(
        default=None, description="The registry's base URL (http://registry:8000)."
    )
    registry_api_key: SecretStr | None = Field(
        default=None, description="Sent as X-API-Key, when the registry needs registry:write."
    )
    service_url: HttpUrl | None = Field(
        default=None, description="This instance's base URL, as the registry reaches it."
    )
    service_id: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$",
        description="Unique per instance; default: the service name, host and port.",
    )
    service_tags: Annotated[list[Tag], NoDecode] = Field(
        default_factory=list, max_length=64, description="Comma-separated: web_crawler,dirty."
    )
    registry_refresh_seconds: float = Field(
        default=30.0, gt=0, le=3600, description="Seconds between repeated registrations."
    )
    registry_check_interval: float = Field(
        default=10.0, ge=1, le=3600, description="Seconds between the registry's checks."
    )
    registry_deregister_after: float = Field(
        default=600.0, ge=1, description="Seconds critical before the registry drops us."
    )

    @field_validator("service_tags", mode="before")
    @classmethod
    def _split_tags(cls, value: object) -> object:
        return comma_separated(value)
