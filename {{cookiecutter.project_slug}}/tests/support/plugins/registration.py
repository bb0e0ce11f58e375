"""A registry for the test session, a pytest plugin (conftest.py loads it): every service the
tests start in production, where registering is required, registers with it."""

from collections.abc import Iterator

import pytest

from support.recording_registry import RecordingRegistry, recording_registry


@pytest.fixture(scope="session", autouse=True)
def session_registry() -> Iterator[RecordingRegistry]:
    with pytest.MonkeyPatch.context() as environment, recording_registry() as registry:
        environment.delenv("SERVICE_ID", raising=False)
        environment.setenv("REGISTRY_URL", registry.url)
        environment.setenv("SERVICE_URL", "http://service.test:8000")
        yield registry
