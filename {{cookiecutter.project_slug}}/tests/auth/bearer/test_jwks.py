"""Keys from an identity provider's JWKS, served for real over HTTP: fetched once, fetched again
for an unknown key id (at most once per cool-down), and what happens while it is down."""

import asyncio
import time
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from pydantic import HttpUrl

from {{ cookiecutter.package_name }}.auth.bearer.scheme import BearerTokens
from {{ cookiecutter.package_name }}.auth.bearer.settings import BearerSettings
from {{ cookiecutter.package_name }}.auth.failures import AuthenticationError
from {{ cookiecutter.package_name }}.auth.identity import Identity

from support.auth import TEST_SETTINGS, app_with, failures
from support.bearer import JwksServer, make_token

OLD_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
NEW_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ITEMS = "/api/v1/items"
COOLDOWN = 0.2


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def service(jwks: JwksServer, cooldown: float = COOLDOWN) -> TestClient:
    settings = BearerSettings(jwks_url=HttpUrl(jwks.url), jwks_cooldown_seconds=cooldown)
    return TestClient(app_with([BearerTokens(TEST_SETTINGS, settings)]))


@pytest.fixture
def provider(jwks: JwksServer) -> Iterator[TestClient]:
    """The service trusting a provider that publishes ``old``."""
    jwks.keys = {"old": OLD_KEY}
    with service(jwks) as client:
        yield client


def test_keys_are_fetched_once_at_start(provider: TestClient, jwks: JwksServer) -> None:
    for _ in range(3):
        assert (
            provider.get(
                ITEMS, headers=bearer(make_token(OLD_KEY, headers={"kid": "old"}))
            ).status_code
            == 200
        )

    assert jwks.fetches == 1


def test_a_rotated_key_is_fetched_when_a_token_names_it(
    provider: TestClient, jwks: JwksServer
) -> None:
    provider.get(ITEMS, headers=bearer(make_token(OLD_KEY, headers={"kid": "old"})))
    jwks.keys = {"old": OLD_KEY, "new": NEW_KEY}
    time.sleep(COOLDOWN)

    response = provider.get(ITEMS, headers=bearer(make_token(NEW_KEY, headers={"kid": "new"})))

    assert response.status_code == 200
    assert jwks.fetches == 2


def test_an_unknown_key_id_is_one_fetch_then_a_401(provider: TestClient, jwks: JwksServer) -> None:
    provider.get(ITEMS, headers=bearer(make_token(OLD_KEY, headers={"kid": "old"})))
    time.sleep(COOLDOWN)
    before = failures("unknown_key")

    first = provider.get(ITEMS, headers=bearer(make_token(NEW_KEY, headers={"kid": "made-up"})))
    second = provider.get(ITEMS, headers=bearer(make_token(NEW_KEY, headers={"kid": "made-up-2"})))

    assert (first.status_code, second.status_code) == (401, 401)
    assert jwks.fetches == 2  # one more, then none within the cool-down
    assert failures("unknown_key") == before + 2


def test_held_keys_keep_working_while_the_provider_is_down(
    provider: TestClient, jwks: JwksServer
) -> None:
    provider.get(ITEMS, headers=bearer(make_token(OLD_KEY, headers={"kid": "old"})))
    jwks.down()

    response = provider.get(
        ITEMS, headers=bearer(make_token(OLD_KEY, sub="bob", headers={"kid": "old"}))
    )

    assert response.status_code == 200


def test_without_any_key_a_token_gets_a_503_not_a_500(jwks: JwksServer) -> None:
    jwks.keys = {"old": OLD_KEY}
    jwks.down()
    before = failures("keys_unavailable")

    with service(jwks) as client:
        response = client.get(ITEMS, headers=bearer(make_token(OLD_KEY, headers={"kid": "old"})))
        anonymous = client.get(ITEMS)

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert anonymous.status_code == 200  # requests without a token are not held up
    assert failures("keys_unavailable") == before + 1


@pytest.mark.anyio
async def test_a_withdrawn_key_stops_working_once_the_set_is_fetched_again(
    jwks: JwksServer,
) -> None:
    jwks.keys = {"old": OLD_KEY, "new": NEW_KEY}
    settings = BearerSettings(jwks_url=HttpUrl(jwks.url), jwks_cooldown_seconds=COOLDOWN)
    verifier = BearerTokens(TEST_SETTINGS, settings).verifier
    token = make_token(OLD_KEY, headers={"kid": "old"})
    await verifier.keys.refresh()
    assert verifier.verify(token) == Identity("alice", frozenset(), "bearer")  # remembered

    jwks.keys = {"new": NEW_KEY}
    await asyncio.sleep(COOLDOWN)
    await verifier.keys.refresh()

    with pytest.raises(AuthenticationError, match="unknown_key"):
        await verifier.verify_after_refresh(token, "old")
    assert token not in verifier._verified
