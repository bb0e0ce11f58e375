"""API keys for the test session, a pytest plugin (conftest.py loads it): the service accepts
the session's keys."""

from collections.abc import Iterator

import pytest

from support.api_keys import configuration


@pytest.fixture(scope="session", autouse=True)
def api_keys_configured() -> Iterator[str]:
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("AUTH_API_KEYS", configuration())
        yield configuration()
