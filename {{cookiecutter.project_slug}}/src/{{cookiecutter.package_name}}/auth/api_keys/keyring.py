"""Checking a presented API key: ``<key id>.<secret>``.

The secret is compared as its SHA-256, in constant time, so neither the configuration nor the
time an answer takes gives it away. Secrets are 256 random bits (``api-key new``): a fast hash
is enough, there is nothing to guess a dictionary word from.
"""

import hashlib
import hmac
import secrets
from collections.abc import Mapping

from ..failures import AuthenticationError
from ..identity import Identity
from .settings import ApiKey

# Compared against when the key id is unknown, so an unknown id takes as long as a wrong secret.
UNKNOWN = ApiKey(hash=hashlib.sha256(b"").hexdigest())


class Keyring:
    def __init__(self, keys: Mapping[str, ApiKey]) -> None:
        self.keys = dict(keys)

    def authenticate(self, presented: str) -> Identity:
        key_id, dot, secret = presented.strip().partition(".")
        if not dot or not key_id or not secret:
            raise AuthenticationError("malformed")
        key = self.keys.get(key_id, UNKNOWN)
        digest = hashlib.sha256(secret.encode("utf-8", "surrogateescape")).hexdigest()
        matches = hmac.compare_digest(digest, key.hash)
        if key is UNKNOWN:
            raise AuthenticationError("unknown_key")
        if not matches:
            raise AuthenticationError("wrong_key")
        if key.revoked:
            raise AuthenticationError("revoked_key")
        return Identity(key_id, key.scopes, "api_key")


def new_key(key_id: str) -> tuple[str, str]:
    """A new key for ``key_id``: what the client sends, and the hash to configure."""
    secret = secrets.token_urlsafe(32)
    return f"{key_id}.{secret}", hashlib.sha256(secret.encode()).hexdigest()
