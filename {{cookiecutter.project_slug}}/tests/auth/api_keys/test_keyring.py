"""API keys: every way a key is refused, the way it is accepted, and the configuration that
stops startup."""

import hashlib
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.auth.api_keys.scheme import ApiKeys
from {{ cookiecutter.package_name }}.auth.api_keys.settings import ApiKeySettings
from {{ cookiecutter.package_name }}.config import SettingsError, load

from support.api_keys import SECRETS, api_key
from support.auth import TEST_SETTINGS, app_with, failures

ITEMS = "/api/v1/items"


@pytest.fixture
def client() -> Iterator[TestClient]:
    """The service with the session's keys (writer, reader, retired)."""
    with TestClient(app_with([ApiKeys(TEST_SETTINGS)])) as client:
        yield client


REJECTIONS = [
    # case, X-API-Key (None: not sent), status, reason counted
    ("no key", None, 401, "missing"),
    ("no dot", "writer", 401, "malformed"),
    ("no secret", "writer.", 401, "malformed"),
    ("not ASCII", "writer.s\u00e9cret".encode(), 401, "malformed"),
    ("unknown key id", f"stranger.{SECRETS['writer']}", 401, "unknown_key"),
    ("wrong secret", f"writer.{SECRETS['reader']}", 401, "wrong_key"),
    ("revoked", api_key("retired"), 401, "revoked_key"),
    ("insufficient scope", api_key("reader"), 403, "insufficient_scope"),
]


@pytest.mark.parametrize(
    ("key", "status", "reason"), [case[1:] for case in REJECTIONS], ids=[c[0] for c in REJECTIONS]
)
def test_a_refused_key_gets_a_problem_and_counts_its_reason(
    client: TestClient, key: str | bytes | None, status: int, reason: str
) -> None:
    before = failures(reason)
    presented = key.encode() if isinstance(key, str) else key
    headers = {b"X-API-Key": presented} if presented is not None else {}

    response = client.post(ITEMS, json={"name": "Widget"}, headers=headers)

    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert reason not in response.text
    if status == 401:
        assert 'ApiKey header="X-API-Key"' in response.headers["www-authenticate"]
    assert failures(reason) == before + 1


def test_the_writers_key_changes_items(client: TestClient) -> None:
    response = client.post(ITEMS, json={"name": "Widget"}, headers={"X-API-Key": api_key("writer")})

    assert response.status_code == 201


def test_keys_rotate_by_having_two_at_once() -> None:
    old, new = "rotating-1", "rotating-2"
    keys = {
        old: {"hash": hashlib.sha256(b"old-secret").hexdigest(), "scopes": ["items:write"]},
        new: {"hash": hashlib.sha256(b"new-secret").hexdigest(), "scopes": ["items:write"]},
    }
    scheme = ApiKeys(TEST_SETTINGS, ApiKeySettings.model_validate({"api_keys": keys}))

    assert scheme.authenticate(b"rotating-1.old-secret").subject == old
    assert scheme.authenticate(b"rotating-2.new-secret").subject == new


@pytest.mark.parametrize(
    ("configuration", "message"),
    [
        ("{not json", "invalid setting AUTH_API_KEYS: not valid JSON"),
        ('{"k": {"hash": "plain-secret"}}', "invalid setting AUTH_API_KEYS_K_HASH: String should"),
        ('{"bad.id": {"hash": "' + "0" * 64 + '"}}', "invalid setting AUTH_API_KEYS_BAD.ID_"),
        ('{"k": {"hash": "' + "0" * 64 + '", "scope": []}}', "invalid setting AUTH_API_KEYS_K_SC"),
    ],
)
def test_a_malformed_configuration_stops_startup_in_one_line(
    monkeypatch: pytest.MonkeyPatch, configuration: str, message: str
) -> None:
    monkeypatch.setenv("AUTH_API_KEYS", configuration)

    with pytest.raises(SettingsError) as stop:
        load(ApiKeySettings)

    assert str(stop.value).startswith(message)
    assert "\n" not in str(stop.value)
