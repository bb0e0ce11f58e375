"""Bearer tokens checked with a static public key: every way a token is refused, and the ways
it is accepted. The reason reaches the metric, never the client."""

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.auth.bearer.scheme import BearerTokens
from {{ cookiecutter.package_name }}.auth.bearer.settings import BearerSettings
from {{ cookiecutter.package_name }}.auth.failures import AuthenticationError

from support.auth import TEST_SETTINGS, app_with, failures
from support.bearer import KEY, PUBLIC_PEM, make_token

OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ISSUER, AUDIENCE = "https://login.example.com/", "items-service"
NOW = int(time.time())
PROTECTED = "/api/v1/items/1"  # a write: needs items:write


def claims(**changes: Any) -> dict[str, Any]:
    """Good claims for this service, changed."""
    good = {"iss": ISSUER, "aud": AUDIENCE, "scope": "items:write", "exp": NOW + 600}
    return {**good, **changes}


def unsigned_token() -> str:
    """``alg: none``, which PyJWT will not even write: put together by hand."""
    header = jwt.utils.base64url_encode(b'{"alg":"none","typ":"JWT"}').decode()
    body = jwt.utils.base64url_encode(b'{"sub":"mallory","exp":9999999999}').decode()
    return f"{header}.{body}."


def hs256_with_the_public_key() -> str:
    """The algorithm-confusion forgery: HS256 keyed with the (public) RSA key's PEM."""
    header = jwt.utils.base64url_encode(b'{"alg":"HS256","typ":"JWT"}')
    forged = {"sub": "mallory", "exp": NOW + 600, "iss": ISSUER, "aud": AUDIENCE}
    body = jwt.utils.base64url_encode(json.dumps(forged).encode())
    signature = hmac.new(PUBLIC_PEM.encode(), header + b"." + body, hashlib.sha256).digest()
    return b".".join([header, body, jwt.utils.base64url_encode(signature)]).decode()


@pytest.fixture
def client() -> Iterator[TestClient]:
    """The service trusting the session's key, for tokens of this issuer and audience."""
    settings = BearerSettings(jwt_public_key=PUBLIC_PEM, issuer=ISSUER, audience=AUDIENCE)
    with TestClient(app_with([BearerTokens(TEST_SETTINGS, settings)])) as client:
        yield client


REJECTIONS: list[tuple[str, dict[str, str], int, str, bool]] = [
    # case, headers, status, reason counted, whether the challenge says invalid_token
    ("no credentials", {}, 401, "missing", False),
    ("not a bearer header", {"Authorization": "Basic YWxpY2U6c2VjcmV0"}, 401, "malformed", True),
    ("an empty bearer", {"Authorization": "Bearer "}, 401, "malformed", True),
    ("not a JWT", {"Authorization": "Bearer not-a-jwt"}, 401, "malformed", True),
    (
        "bad signature",
        {"Authorization": f"Bearer {make_token(OTHER_KEY, **claims())}"},
        401,
        "bad_signature",
        True,
    ),
    (
        "expired",
        {"Authorization": f"Bearer {make_token(**claims(exp=NOW - 3600))}"},
        401,
        "expired",
        True,
    ),
    (
        "not yet valid",
        {"Authorization": f"Bearer {make_token(**claims(nbf=NOW + 3600))}"},
        401,
        "not_yet_valid",
        True,
    ),
    (
        "wrong issuer",
        {"Authorization": f"Bearer {make_token(**claims(iss='https://evil.example/'))}"},
        401,
        "wrong_issuer",
        True,
    ),
    (
        "wrong audience",
        {"Authorization": f"Bearer {make_token(**claims(aud='another-service'))}"},
        401,
        "wrong_audience",
        True,
    ),
    (
        "no expiry",
        {"Authorization": f"Bearer {make_token(**claims(exp=None))}"},
        401,
        "missing_claim",
        True,
    ),
    (
        "alg none",
        {"Authorization": f"Bearer {unsigned_token()}"},
        401,
        "algorithm_not_allowed",
        True,
    ),
    (
        "HS256 signed with the RSA public key",
        {"Authorization": f"Bearer {hs256_with_the_public_key()}"},
        401,
        "algorithm_not_allowed",
        True,
    ),
    (
        "insufficient scope",
        {"Authorization": f"Bearer {make_token(**claims(scope='items:read'))}"},
        403,
        "insufficient_scope",
        False,
    ),
]


@pytest.mark.parametrize(
    ("headers", "status", "reason", "invalid_token"),
    [case[1:] for case in REJECTIONS],
    ids=[case[0] for case in REJECTIONS],
)
def test_a_refused_token_gets_a_problem_and_counts_its_reason(
    client: TestClient, headers: dict[str, str], status: int, reason: str, invalid_token: bool
) -> None:
    before = failures(reason)

    response = client.delete(PROTECTED, headers=headers)

    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert reason not in response.text  # the reason is for the log, not for the client
    challenge = response.headers["www-authenticate"]
    if status == 401:
        assert challenge.startswith("Bearer")
        assert ('error="invalid_token"' in challenge) is invalid_token
    else:
        assert challenge == 'Bearer error="insufficient_scope", scope="items:write"'
    assert failures(reason) == before + 1


@pytest.mark.parametrize(
    "token_claims",
    [
        claims,
        lambda: claims(scope=None, scp=["items:write", "items:read"]),
        # Expired 10 s ago, within the leeway: timed when the test runs, not when it is collected.
        lambda: claims(exp=int(time.time()) - 10),
        lambda: claims(aud=[AUDIENCE, "another-service"]),
    ],
    ids=["scope", "scp", "leeway", "one of several audiences"],
)
def test_a_good_token_is_accepted(
    client: TestClient, token_claims: Callable[[], dict[str, Any]]
) -> None:
    response = client.get(
        "/api/v1/items", headers={"Authorization": f"Bearer {make_token(**token_claims())}"}
    )

    assert response.status_code == 200


def test_the_scheme_word_is_case_insensitive(client: TestClient) -> None:
    response = client.get(
        "/api/v1/items", headers={"Authorization": f"bearer {make_token(**claims())}"}
    )

    assert response.status_code == 200


def test_a_token_checked_once_is_remembered_until_it_expires() -> None:
    settings = BearerSettings(jwt_public_key=PUBLIC_PEM, token_cache_size=2)
    scheme = BearerTokens(TEST_SETTINGS, settings)
    tokens = [make_token(KEY, sub=f"user-{n}", exp=NOW + 600) for n in range(3)]

    for token in tokens:
        scheme.verifier.verify(token)

    remembered = scheme.verifier._verified
    assert list(remembered) == tokens[1:]  # bounded: the oldest went first
    identity, expires = remembered[tokens[2]]
    assert identity.subject == "user-2"
    assert expires == NOW + 600 + settings.leeway_seconds


def test_a_remembered_token_still_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    scheme = BearerTokens(TEST_SETTINGS, BearerSettings(jwt_public_key=PUBLIC_PEM))
    token = make_token(KEY, exp=NOW + 600)
    scheme.verifier.verify(token)

    monkeypatch.setattr(time, "time", lambda: NOW + 600 + 31.0)  # past the 30 s leeway

    with pytest.raises(AuthenticationError, match="expired"):
        scheme.verifier.verify(token)
