"""The service's keys: published as a JWK set, rotated without refusing a valid token."""

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.accounts.keys import SigningKey, load_signing_keys, parse_keys
from {{ cookiecutter.package_name }}.accounts.settings import AccountsSettings
from {{ cookiecutter.package_name }}.auth.bearer.key_files import private_pem
from {{ cookiecutter.package_name }}.config import Environment, Settings, SettingsError
from {{ cookiecutter.package_name }}.main import create_app

from support.accounts import KEY, KEY_PEM, ME, bearer, make_token

NEW_KEY = SigningKey.of(Ed25519PrivateKey.generate())
NEW_KEY_PEM = private_pem(NEW_KEY.private_key).decode("ascii")


def client_with_keys(monkeypatch: pytest.MonkeyPatch, pem: str) -> TestClient:
    monkeypatch.setenv("ACCOUNTS_SIGNING_KEYS", pem)
    return TestClient(create_app(Settings(environment=Environment.TEST)))


def test_the_public_keys_are_published_as_a_jwk_set(anonymous: TestClient) -> None:
    response = anonymous.get("/.well-known/jwks.json")

    assert response.status_code == 200
    assert "max-age" in response.headers["cache-control"]
    (published,) = response.json()["keys"]
    assert published["kid"] == KEY.key_id
    assert published["kty"] == "OKP"
    assert "d" not in published  # never the private part
    verifier = jwt.PyJWK(published)
    assert jwt.decode(make_token(), verifier, algorithms=["EdDSA"], audience=make_token_audience())


def make_token_audience() -> str:
    return str(jwt.decode(make_token(), options={"verify_signature": False})["aud"])


def test_a_key_id_is_the_keys_thumbprint() -> None:
    assert parse_keys(KEY_PEM)[0].key_id == KEY.key_id
    assert len(KEY.key_id) == 43  # base64url of SHA-256, RFC 7638


def test_rotation_signs_with_the_newest_and_verifies_with_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old_token = make_token()
    with client_with_keys(monkeypatch, NEW_KEY_PEM + KEY_PEM) as both:
        published = [key["kid"] for key in both.get("/.well-known/jwks.json").json()["keys"]]
        assert published == [NEW_KEY.key_id, KEY.key_id]
        assert both.get(ME, headers=bearer(old_token)).status_code != 401
        assert both.get(ME, headers=bearer(make_token(NEW_KEY))).status_code != 401

    with client_with_keys(monkeypatch, NEW_KEY_PEM) as new_only:
        assert new_only.get(ME, headers=bearer(old_token)).status_code == 401
        assert new_only.get(ME, headers=bearer(make_token(NEW_KEY))).status_code != 401


def test_production_needs_keys_and_refuses_bad_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACCOUNTS_SIGNING_KEYS")
    with pytest.raises(SettingsError, match="ACCOUNTS_SIGNING_KEYS: set it"):
        load_signing_keys(AccountsSettings(), Environment.PRODUCTION)

    monkeypatch.setenv("ACCOUNTS_SIGNING_KEYS", "not a key")
    with pytest.raises(SettingsError, match="no PEM private key found"):
        load_signing_keys(AccountsSettings(), Environment.PRODUCTION)


def test_keys_may_come_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    from pathlib import Path

    keys_file = Path(str(tmp_path)) / "keys.pem"
    keys_file.write_text(NEW_KEY_PEM)
    monkeypatch.delenv("ACCOUNTS_SIGNING_KEYS")
    monkeypatch.setenv("ACCOUNTS_SIGNING_KEYS_FILE", str(keys_file))

    keys = load_signing_keys(AccountsSettings(), Environment.PRODUCTION)

    assert keys.signing.key_id == NEW_KEY.key_id
