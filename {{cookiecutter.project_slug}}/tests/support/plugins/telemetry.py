"""Tracing for the test session, a pytest plugin (conftest.py loads it): every app and every
service the tests start exports its spans to a receiver of the session's, quickly."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import HttpUrl

from {{ cookiecutter.package_name }}.telemetry.settings import TelemetrySettings

from support.otlp import OtlpReceiver
from support.tracing import app_tracing_to


@pytest.fixture(scope="session", autouse=True)
def otlp_receiver() -> Iterator[OtlpReceiver]:
    receiver = OtlpReceiver()
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint)
        environment.setenv("OTEL_BSP_SCHEDULE_DELAY", "50")
        yield receiver
    receiver.close()


@pytest.fixture(params=["http/protobuf", "grpc"])
def traced(otlp_receiver: OtlpReceiver, request: pytest.FixtureRequest) -> Iterator[TestClient]:
    """A client of the service, its spans exported over each protocol in turn."""
    grpc = request.param == "grpc"
    settings = TelemetrySettings(
        exporter_otlp_protocol=request.param,
        exporter_otlp_endpoint=HttpUrl(
            otlp_receiver.grpc_endpoint if grpc else otlp_receiver.endpoint
        ),
        bsp_schedule_delay=50,
    )
    with TestClient(app_tracing_to(settings)) as client:
        yield client
