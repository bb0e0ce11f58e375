"""How events are delivered, from ``EVENTS_*`` variables."""

from pydantic import Field
from pydantic_settings import BaseSettings

from ..config import feature_settings


class EventSettings(BaseSettings):
    model_config = feature_settings("EVENTS_")

    source: str = Field(
        default="{{ cookiecutter.project_slug }}",
        min_length=1,
        description="The events' source: this service's name as consumers know it.",
    )
    topic: str = Field(
        default="{{ cookiecutter.project_slug }}.events",
        min_length=1,
        max_length=249,
        pattern=r"^[A-Za-z0-9._-]+$",
        description="Where the service's events go: Kafka's topic, RabbitMQ's exchange, the "
        "prefix of the NATS subjects (and the name of their stream), Redis's stream.",
    )
    publish_timeout: float = Field(
        default=5.0, gt=0, le=120, description="Seconds a publish may take before it fails."
    )
