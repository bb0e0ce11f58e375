"""The standard ``OTEL_*`` variables the service reads, typed: a bad value stops startup with one
line, as every other setting does."""

from typing import Literal

from pydantic import Field, HttpUrl
from pydantic_settings import BaseSettings

from ..config import feature_settings

# The collector's standard ports, as the OpenTelemetry SDKs default to them.
DEFAULT_HTTP_ENDPOINT = "http://127.0.0.1:4318"
DEFAULT_GRPC_ENDPOINT = "http://127.0.0.1:4317"

Sampler = Literal[
    "always_on",
    "always_off",
    "traceidratio",
    "parentbased_always_on",
    "parentbased_always_off",
    "parentbased_traceidratio",
]


class TelemetrySettings(BaseSettings):
    model_config = feature_settings("OTEL_")

    service_name: str | None = Field(default=None, description="Default: SERVICE_NAME.")
    exporter_otlp_endpoint: HttpUrl | None = Field(
        default=None,
        description="The collector; HTTP adds /v1/traces. Default: port 4318, 4317 for grpc.",
    )
    exporter_otlp_protocol: Literal["http/protobuf", "grpc"] = "http/protobuf"
    exporter_otlp_timeout: int = Field(default=10_000, gt=0, description="Milliseconds.")
    traces_sampler: Sampler = "parentbased_always_on"
    traces_sampler_arg: float = Field(default=1.0, ge=0, le=1, description="The ratio sampled.")
    bsp_max_queue_size: int = Field(default=2048, ge=1, description="Spans waiting for export.")
    bsp_schedule_delay: int = Field(default=5000, ge=1, description="Milliseconds between exports.")

    @property
    def traces_endpoint(self) -> str:
        """Where spans go: the collector's traces path over HTTP, the collector itself over gRPC."""
        grpc = self.exporter_otlp_protocol == "grpc"
        default = DEFAULT_GRPC_ENDPOINT if grpc else DEFAULT_HTTP_ENDPOINT
        endpoint = str(self.exporter_otlp_endpoint or default).rstrip("/")
        return endpoint if grpc else f"{endpoint}/v1/traces"
