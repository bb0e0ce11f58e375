"""Tracing for the test session, a pytest plugin (conftest.py loads it): every app and every
service the tests start exports its spans to a receiver of the session's, quickly."""

from collections.abc import Iterator

import pytest

from support.otlp import OtlpReceiver


@pytest.fixture(scope="session", autouse=True)
def otlp_receiver() -> Iterator[OtlpReceiver]:
    receiver = OtlpReceiver()
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint)
        environment.setenv("OTEL_BSP_SCHEDULE_DELAY", "50")
        yield receiver
    receiver.close()
