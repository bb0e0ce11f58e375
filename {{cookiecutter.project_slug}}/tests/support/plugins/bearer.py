"""Bearer tokens for the test session, a pytest plugin (conftest.py loads it): the service
trusts the session's key, and tests may run an identity provider's JWKS."""

from collections.abc import Iterator

import pytest

from support.bearer import PUBLIC_PEM, VARIABLES, JwksServer
from support.servers import serving_in_background


@pytest.fixture(scope="session", autouse=True)
def bearer_public_key() -> Iterator[str]:
    """Every ``BearerSettings()`` (and every service the tests start) trusts the session's key."""
    with pytest.MonkeyPatch.context() as environment:
        for name in VARIABLES:
            environment.delenv(name, raising=False)
        environment.setenv("AUTH_JWT_PUBLIC_KEY", PUBLIC_PEM)
        yield PUBLIC_PEM


@pytest.fixture
def jwks(monkeypatch: pytest.MonkeyPatch) -> Iterator[JwksServer]:
    """A provider's JWKS, which replaces the session's key."""
    monkeypatch.delenv("AUTH_JWT_PUBLIC_KEY")
    server = JwksServer()
    with serving_in_background(server.http):
        yield server
