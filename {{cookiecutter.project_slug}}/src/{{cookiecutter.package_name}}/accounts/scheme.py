"""Bearer tokens this service issued, as the auth stage's scheme: checked with its own keys.

The bearer tokens' verifier (signature, expiry, issuer, audience, and the cache of verified
tokens), with the service's keys as its key source. The OpenAPI document describes it as OAuth
2.0's password flow, so /docs' Authorize button asks for a username and a password and calls
the token endpoint.
"""

from collections.abc import Awaitable
from typing import ClassVar

from fastapi.security import OAuth2PasswordBearer
from fastapi.security.base import SecurityBase

from ..auth.bearer.tokens import TokenVerifier, token_of
from ..auth.identity import Identity
from ..auth.scheme import Scheme
from ..config import Settings
from .keys import ALGORITHM, SigningKeys
from .settings import AccountsSettings

# A path, not a secret.
TOKEN_URL = "/api/v1/auth/token"  # noqa: S105  # nosec B105


class AccountTokens(Scheme):
    name = "bearer"
    header = b"authorization"
    security: ClassVar[SecurityBase] = OAuth2PasswordBearer(
        tokenUrl=TOKEN_URL,
        description="Log in with a username and a password; the service issues the token.",
        auto_error=False,
    )

    def __init__(self, service: Settings, accounts: AccountsSettings, keys: SigningKeys) -> None:
        super().__init__(service)
        self.verifier = TokenVerifier(
            keys,
            algorithms=[ALGORITHM],
            issuer=issuer_of(service, accounts),
            audience=audience_of(service, accounts),
            leeway=accounts.leeway_seconds,
            cache_size=accounts.token_cache_size,
        )

    def challenge(self, invalid: bool) -> str:
        return 'Bearer error="invalid_token"' if invalid else "Bearer"

    def authenticate(self, value: bytes) -> Identity | Awaitable[Identity]:
        return self.verifier.verify(token_of(value))


def issuer_of(service: Settings, accounts: AccountsSettings) -> str:
    return accounts.issuer or service.service_name


def audience_of(service: Settings, accounts: AccountsSettings) -> str:
    return accounts.audience or service.service_name
