"""Access tokens: short-lived JWTs signed with the service's newest key.

Claims: ``iss``, ``aud``, ``sub`` (the user's id, which never changes, unlike a username),
``scope`` (space-separated, RFC 8693), ``iat``, ``exp`` and ``jti``; the header names the key
(``kid``), so a verifier finds it in the JWK set.
"""

import secrets
import time
from typing import Any

import jwt

from .keys import ALGORITHM, SigningKeys


class AccessTokens:
    def __init__(self, keys: SigningKeys, *, issuer: str, audience: str, lifetime: int) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.lifetime = lifetime

    def issue(self, subject: str, scopes: frozenset[str]) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject,
            "scope": " ".join(sorted(scopes)),
            "iat": now,
            "exp": now + self.lifetime,
            "jti": secrets.token_urlsafe(12),
        }
        key = self.keys.signing
        return jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.key_id})
