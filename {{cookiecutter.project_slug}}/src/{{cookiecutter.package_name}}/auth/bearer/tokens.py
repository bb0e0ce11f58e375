"""Verifying a bearer token: signature, algorithm, expiry, issuer and audience, with PyJWT.

A verified token is remembered, keyed by the whole token (never the signature alone: a signature
copied onto another payload must not match), until it expires, so a client that sends the same
token with every request pays for one signature check, not one per request. The cache is bounded
(the oldest entry goes first) and emptied when the key set changes, so a key the provider
withdrew stops working at once.
"""

import time
from collections.abc import Awaitable
from typing import Any

import jwt
from jwt.exceptions import (
    DecodeError,
    ExpiredSignatureError,
    ImmatureSignatureError,
    InvalidAlgorithmError,
    InvalidAudienceError,
    InvalidIssuerError,
    InvalidSignatureError,
    InvalidTokenError,
    MissingRequiredClaimError,
)

from ..failures import AuthenticationError, KeysUnavailableError
from ..identity import Identity
from .keys import KeySource

# PyJWT's errors, as the reasons logged and counted (the client only ever sees a 401).
REASONS: list[tuple[type[InvalidTokenError], str]] = [
    (ExpiredSignatureError, "expired"),
    (ImmatureSignatureError, "not_yet_valid"),
    (InvalidAudienceError, "wrong_audience"),
    (InvalidIssuerError, "wrong_issuer"),
    (InvalidAlgorithmError, "algorithm_not_allowed"),
    (InvalidSignatureError, "bad_signature"),
    (MissingRequiredClaimError, "missing_claim"),
    (DecodeError, "malformed"),
]
REQUIRED_CLAIMS = ["exp", "sub"]
PREFIX = b"bearer "


def token_of(value: bytes) -> str:
    """The token of an ``Authorization: Bearer <token>`` field."""
    if value[:7].lower() != PREFIX:
        raise AuthenticationError("malformed")
    token = value[7:].strip()
    if not token:
        raise AuthenticationError("malformed")
    return token.decode("latin-1")


class TokenVerifier:
    def __init__(
        self,
        keys: KeySource,
        *,
        algorithms: list[str],
        issuer: str | None,
        audience: str | None,
        leeway: int,
        cache_size: int,
    ) -> None:
        self.keys = keys
        self.algorithms = algorithms
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.cache_size = cache_size
        self.options: jwt.types.Options = {
            "require": [*REQUIRED_CLAIMS, *(["iss"] if self.issuer else [])],
            "enforce_minimum_key_length": True,
        }
        # token -> (identity, the time after which it is expired, leeway included)
        self._verified: dict[str, tuple[Identity, float]] = {}

    def forget(self) -> None:
        """Drop every remembered token (the keys changed)."""
        self._verified.clear()

    def verify(self, token: str) -> Identity | Awaitable[Identity]:
        remembered = self._verified.get(token)
        if remembered is not None:
            identity, expires = remembered
            if time.time() < expires:
                return identity
            del self._verified[token]
            raise AuthenticationError("expired")
        try:
            key_id = jwt.get_unverified_header(token).get("kid")
        except InvalidTokenError:
            raise AuthenticationError("malformed") from None
        key = self.keys.find(key_id if isinstance(key_id, str) else None)
        if key is not None:
            return self.decode(token, key)
        if self.keys.may_refresh:
            return self.verify_after_refresh(token, key_id)
        raise self.no_key()

    async def verify_after_refresh(self, token: str, key_id: Any) -> Identity:
        """Once more, with the key set fetched again: the provider may have rotated its keys."""
        await self.keys.refresh()
        key = self.keys.find(key_id if isinstance(key_id, str) else None)
        if key is None:
            raise self.no_key()
        return self.decode(token, key)

    def no_key(self) -> Exception:
        if not self.keys.loaded:
            return KeysUnavailableError()
        return AuthenticationError("unknown_key")

    def decode(self, token: str, key: Any) -> Identity:
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=self.algorithms,
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options=self.options,
            )
        except InvalidTokenError as error:
            raise AuthenticationError(reason_for(error)) from None
        identity = Identity(str(claims["sub"]), scopes_of(claims), "bearer")
        self.remember(token, identity, float(claims["exp"]) + self.leeway)
        return identity

    def remember(self, token: str, identity: Identity, expires: float) -> None:
        if self.cache_size == 0:
            return
        if len(self._verified) >= self.cache_size:
            del self._verified[next(iter(self._verified))]  # the oldest
        self._verified[token] = (identity, expires)


def reason_for(error: InvalidTokenError) -> str:
    for kind, reason in REASONS:
        if isinstance(error, kind):
            return reason
    return "invalid"


def scopes_of(claims: dict[str, Any]) -> frozenset[str]:
    """OAuth 2.0's ``scope`` (space-separated, RFC 8693) or the ``scp`` list some providers use."""
    scopes = claims.get("scope", claims.get("scp", ""))
    if isinstance(scopes, str):
        return frozenset(scopes.split())
    if isinstance(scopes, list):
        return frozenset(str(scope) for scope in scopes)
    return frozenset()
