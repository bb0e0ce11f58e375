"""Refresh tokens: opaque, stored as hashes, rotated on every use, revoked by family.

A login starts a family. Each refresh marks the token presented as used and issues the next
one of the family, with a new idle deadline but never past the family's absolute end. A used
token presented again means it was copied (RFC 9700, section 4.14.2): the whole family is
revoked, so the thief's newest token stops working too, and the user logs in again. Two
refreshes racing with one token are that case as well: the conditional update lets one win.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .records import RefreshTokenRecord
from .settings import AccountsSettings

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
    family: str
    scopes: frozenset[str]  # what the login granted


def digest(token: str) -> str:
    # A fast hash is enough: the token is 256 random bits, not a guessable password.
    return hashlib.sha256(token.encode()).hexdigest()


def now() -> datetime:
    return datetime.now(UTC)


class RefreshTokens:
    def __init__(self, session: AsyncSession, settings: AccountsSettings) -> None:
        self.session = session
        self.idle = timedelta(seconds=settings.refresh_idle_seconds)
        self.absolute = timedelta(seconds=settings.refresh_absolute_seconds)

    async def start_family(self, user_id: int, scopes: frozenset[str]) -> IssuedRefreshToken:
        """The first token of a new login (and the user's ended logins forgotten)."""
        moment = now()
        await self.session.execute(
            delete(RefreshTokenRecord).where(
                RefreshTokenRecord.user_id == user_id,
                RefreshTokenRecord.family_expires_at < moment,
            )
        )
        family = secrets.token_hex(16)
        return await self._issue(user_id, family, scopes, moment + self.absolute, moment)

    async def rotate(self, token: str) -> IssuedRefreshToken:
        """The next token of ``token``'s family; RefreshRefusedError if it grants nothing (a
        reuse has then revoked the family: commit before answering)."""
        moment = now()
        record = await self.session.get(RefreshTokenRecord, digest(token))
        if record is None:
            raise RefreshRefusedError("refresh_unknown")
        if record.revoked_at is not None:
            raise RefreshRefusedError("refresh_revoked")
        if record.used_at is not None:
            await self.revoke_family(record.family)
            raise RefreshRefusedError("refresh_reused")
        if record.family_expires_at <= moment or record.expires_at <= moment:
            raise RefreshRefusedError("refresh_expired")
        claimed = cast(
            "CursorResult[Any]",
            await self.session.execute(
                update(RefreshTokenRecord)
                .where(
                    RefreshTokenRecord.token_hash == record.token_hash,
                    RefreshTokenRecord.used_at.is_(None),
                    RefreshTokenRecord.revoked_at.is_(None),
                )
                .values(used_at=moment)
                .execution_options(synchronize_session=False)
            ),
        )
        if claimed.rowcount != 1:  # another request used it first
            await self.revoke_family(record.family)
            raise RefreshRefusedError("refresh_reused")
        scopes = frozenset(record.scope.split())
        return await self._issue(
            record.user_id, record.family, scopes, record.family_expires_at, moment
        )

    async def user_of(self, token: str) -> int | None:
        record = await self.session.get(RefreshTokenRecord, digest(token))
        return None if record is None else record.user_id

    async def revoke(self, token: str) -> None:
        """Logging out: the family of ``token`` (nothing if it is no token of ours)."""
        family = await self.session.scalar(
            select(RefreshTokenRecord.family).where(RefreshTokenRecord.token_hash == digest(token))
        )
        if family is not None:
            await self.revoke_family(family)

    async def revoke_family(self, family: str) -> None:
        await self.session.execute(
            update(RefreshTokenRecord)
            .where(RefreshTokenRecord.family == family, RefreshTokenRecord.revoked_at.is_(None))
            .values(revoked_at=now())
            .execution_options(synchronize_session=False)
        )

    async def revoke_user(self, user_id: int) -> None:
        """Every login of the user: a new password, a disabled account."""
        await self.session.execute(
            update(RefreshTokenRecord)
            .where(RefreshTokenRecord.user_id == user_id, RefreshTokenRecord.revoked_at.is_(None))
            .values(revoked_at=now())
            .execution_options(synchronize_session=False)
        )

    async def _issue(
        self,
        user_id: int,
        family: str,
        scopes: frozenset[str],
        family_expires_at: datetime,
        moment: datetime,
    ) -> IssuedRefreshToken:
        value = secrets.token_urlsafe(TOKEN_BYTES)
        self.session.add(
            RefreshTokenRecord(
                token_hash=digest(value),
                family=family,
                user_id=user_id,
                issued_at=moment,
                expires_at=min(moment + self.idle, family_expires_at),
                family_expires_at=family_expires_at,
                scope=" ".join(sorted(scopes)),
            )
        )
        await self.session.flush()
        return IssuedRefreshToken(value, user_id, family, scopes)
