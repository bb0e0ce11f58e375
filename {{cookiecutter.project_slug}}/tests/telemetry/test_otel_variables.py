"""The standard ``OTEL_*`` variables: each protocol finds the collector on its standard port, and a
bad value stops startup in one line."""

import pytest

from {{ cookiecutter.package_name }}.config import load
from {{ cookiecutter.package_name }}.telemetry.settings import TelemetrySettings

from support.settings import refusal, set_variables


@pytest.fixture(autouse=True)
def no_collector_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    """The session points every service at its receiver; these tests set their own."""
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT")


@pytest.mark.parametrize(
    ("variables", "endpoint"),
    [
        ({}, "http://127.0.0.1:4318/v1/traces"),
        ({"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, "http://127.0.0.1:4317"),
        (
            {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318/"},
            "http://collector:4318/v1/traces",
        ),
        (
            {"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317"},
            "http://c:4317",
        ),
    ],
)
def test_spans_go_to_the_collector_the_protocol_expects(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], endpoint: str
) -> None:
    set_variables(monkeypatch, variables)

    assert load(TelemetrySettings).traces_endpoint == endpoint


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"}, "OTEL_EXPORTER_OTLP_PROTOCOL: Input should"),
        ({"OTEL_TRACES_SAMPLER": "sometimes"}, "OTEL_TRACES_SAMPLER: Input should be"),
        ({"OTEL_TRACES_SAMPLER_ARG": "1.5"}, "OTEL_TRACES_SAMPLER_ARG: Input should be less"),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "collector"}, "OTEL_EXPORTER_OTLP_ENDPOINT: Input should"),
        (
            {"OTEL_EXPORTER_OTLP_HEADERS": "api-key"},
            "OTEL_EXPORTER_OTLP_HEADERS: Value error, takes",
        ),
    ],
)
def test_bad_values_stop_startup_in_one_line(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], message: str
) -> None:
    assert refusal(monkeypatch, TelemetrySettings, variables).startswith(
        f"invalid setting {message}"
    )


def test_headers_are_read_as_the_sdks_read_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_HEADERS", "Api-Key=a%2Cb%3Dc , x-tenant=blue,")

    assert load(TelemetrySettings).headers == {"api-key": "a,b=c", "x-tenant": "blue"}
