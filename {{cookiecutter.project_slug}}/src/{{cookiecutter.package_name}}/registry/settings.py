"""How the registry checks the services, from ``REGISTRY_*`` variables."""

from pydantic import Field
from pydantic_settings import BaseSettings

from ..config import feature_settings


class RegistrySettings(BaseSettings):
    model_config = feature_settings("REGISTRY_")

    flip_after: int = Field(
        default=3,
        ge=1,
        le=20,
        description="Checks in a row with a new result before a service's status changes, so "
        "one slow answer does not flap it (its first check counts at once).",
    )
    check_concurrency: int = Field(
        default=32, ge=1, le=1024, description="Health checks in flight at most."
    )
    openapi_max_age: float = Field(
        default=60.0,
        ge=0,
        le=86_400,
        description="Seconds a service's OpenAPI document is kept before it is asked for again.",
    )
