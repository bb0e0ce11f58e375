"""Refresh tokens: opaque, stored as hashes, rotated on every use, revoked by family.

A login starts a family. Each refresh spends the token presented and issues the next one of the
family, with a new idle deadline but never past the family's absolute end. A spent token
presented again means it was copied (RFC 9700, section 4.14.2): the whole family is revoked, so
the thief's newest token stops working too, and the user logs in again. Two refreshes racing
with one token are that case as well: one of them spends it, atomically, and the other finds it
spent. The store is the database's table (``sql_refresh_tokens.py``), or Redis when the service
has it (``redis_refresh_tokens.py``); ``refresh_store.py`` picks it.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

TOKEN_BYTES = 32


class RefreshRefusedError(Exception):
    """A refresh token that grants nothing; ``reason`` for the log and the metric only."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class IssuedRefreshToken:
    value: str
    user_id: int
    scopes: frozenset[str]  # what the login granted


def new_token() -> tuple[str, str]:
    """A new token's value, for the client, and its digest, for the store."""
    value = secrets.token_urlsafe(TOKEN_BYTES)
    return value, digest(value)


def digest(token: str) -> str:
    # A fast hash is enough: the token is 256 random bits, not a guessable password.
    return hashlib.sha256(token.encode()).hexdigest()


def new_family() -> str:
    return secrets.token_hex(16)


def now() -> datetime:
    return datetime.now(UTC)


class RefreshTokenStore(Protocol):
    async def start_family(self, user_id: int, scopes: frozenset[str]) -> IssuedRefreshToken:
        """The first token of a new login."""
        ...

    async def rotate(self, token: str) -> IssuedRefreshToken:
        """The next token of ``token``'s family; RefreshRefusedError if it grants nothing (a
        reuse has then revoked the family)."""
        ...

    async def revoke(self, token: str) -> None:
        """Logging out: the family of ``token`` (nothing if it is no token of ours)."""
        ...

    async def revoke_user(self, user_id: int) -> None:
        """Every login of the user: a new password, a disabled account."""
        ...
