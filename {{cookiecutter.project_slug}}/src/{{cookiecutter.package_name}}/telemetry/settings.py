"""The standard ``OTEL_*`` variables the service reads, typed: a bad value stops startup with one
line, as every other setting does."""

from typing import Literal
from urllib.parse import unquote

from pydantic import Field, HttpUrl, SecretStr, field_validator
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


def parse_headers(text: str) -> dict[str, str]:
    """``key=value,key2=value2``, values percent-encoded, as the OpenTelemetry SDKs read it."""
    headers: dict[str, str] = {}
    for pair in filter(None, (part.strip() for part in text.split(","))):
        key, separator, value = pair.partition("=")
        if not separator or not key.strip():
            raise ValueError("takes key=value pairs, comma-separated")
        headers[key.strip().lower()] = unquote(value.strip())
    return headers


class TelemetrySettings(BaseSettings):
    model_config = feature_settings("OTEL_")

    service_name: str | None = Field(default=None, description="Default: SERVICE_NAME.")
    exporter_otlp_endpoint: HttpUrl | None = Field(
        default=None,
        description="The collector; HTTP adds /v1/traces. Default: port 4318, 4317 for grpc.",
    )
    exporter_otlp_protocol: Literal["http/protobuf", "grpc"] = "http/protobuf"
    exporter_otlp_timeout: int = Field(default=10_000, gt=0, description="Milliseconds.")
    exporter_otlp_headers: SecretStr | None = Field(
        default=None, description="Sent with each export: key=value pairs, comma-separated."
    )
    traces_sampler: Sampler = "parentbased_always_on"
    traces_sampler_arg: float = Field(default=1.0, ge=0, le=1, description="The ratio sampled.")
    bsp_max_queue_size: int = Field(default=2048, ge=1, description="Spans waiting for export.")
    bsp_schedule_delay: int = Field(default=5000, ge=1, description="Milliseconds between exports.")

    @field_validator("exporter_otlp_headers")
    @classmethod
    def _pairs(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            parse_headers(value.get_secret_value())
        return value

    @property
    def headers(self) -> dict[str, str]:
        """The export's extra headers (a collector's API key, say)."""
        text = self.exporter_otlp_headers
        return parse_headers(text.get_secret_value()) if text else {}

    @property
    def traces_endpoint(self) -> str:
        """Where spans go: the collector's traces path over HTTP, the collector itself over gRPC."""
        grpc = self.exporter_otlp_protocol == "grpc"
        default = DEFAULT_GRPC_ENDPOINT if grpc else DEFAULT_HTTP_ENDPOINT
        endpoint = str(self.exporter_otlp_endpoint or default).rstrip("/")
        return endpoint if grpc else f"{endpoint}/v1/traces"
