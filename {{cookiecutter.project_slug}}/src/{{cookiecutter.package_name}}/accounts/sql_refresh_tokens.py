"""Refresh tokens in the database's ``refresh_tokens`` table, each call in a transaction of its
own (a reuse's revocation is committed although the refresh is refused)."""

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..db.database import Database
from .records import RefreshTokenRecord
from .refresh_tokens import (
    IssuedRefreshToken,
    RefreshRefusedError,
    digest,
    new_family,
    new_token,
    now,
)
from .settings import AccountsSettings


class SqlRefreshTokens:
    def __init__(self, database: Database, settings: AccountsSettings) -> None:
        self.database = database
        self.idle = timedelta(seconds=settings.refresh_idle_seconds)
        self.absolute = timedelta(seconds=settings.refresh_absolute_seconds)

    async def start_family(self, user_id: int, scopes: frozenset[str]) -> IssuedRefreshToken:
        moment = now()
        async with self.database.session() as session:
            # The user's ended logins are forgotten: the table holds live families only.
            await session.execute(
                delete(RefreshTokenRecord).where(
                    RefreshTokenRecord.user_id == user_id,
                    RefreshTokenRecord.family_expires_at < moment,
                )
            )
            issued = await self._issue(
                session, user_id, new_family(), scopes, moment + self.absolute, moment
            )
            await session.commit()
        return issued

    async def rotate(self, token: str) -> IssuedRefreshToken:
        moment = now()
        async with self.database.session() as session:
            try:
                issued = await self._rotate(session, token, moment)
            except RefreshRefusedError:
                await session.commit()  # a reuse's revocation stands
                raise
            await session.commit()
        return issued

    async def _rotate(
        self, session: AsyncSession, token: str, moment: datetime
    ) -> IssuedRefreshToken:
        record = await session.get(RefreshTokenRecord, digest(token))
        if record is None:
            raise RefreshRefusedError("refresh_unknown")
        if record.revoked_at is not None:
            raise RefreshRefusedError("refresh_revoked")
        if record.used_at is not None:
            await self._revoke_family(session, record.family)
            raise RefreshRefusedError("refresh_reused")
        if record.family_expires_at <= moment or record.expires_at <= moment:
            raise RefreshRefusedError("refresh_expired")
        spent = await session.execute(
            update(RefreshTokenRecord)
            .where(
                RefreshTokenRecord.token_hash == record.token_hash,
                RefreshTokenRecord.used_at.is_(None),
                RefreshTokenRecord.revoked_at.is_(None),
            )
            .values(used_at=moment)
            .execution_options(synchronize_session=False)
        )
        if cast("CursorResult[Any]", spent).rowcount != 1:  # another request spent it first
            await self._revoke_family(session, record.family)
            raise RefreshRefusedError("refresh_reused")
        scopes = frozenset(record.scope.split())
        return await self._issue(
            session, record.user_id, record.family, scopes, record.family_expires_at, moment
        )

    async def revoke(self, token: str) -> None:
        async with self.database.session() as session:
            family = await session.scalar(
                select(RefreshTokenRecord.family).where(
                    RefreshTokenRecord.token_hash == digest(token)
                )
            )
            if family is not None:
                await self._revoke_family(session, family)
            await session.commit()

    async def revoke_user(self, user_id: int) -> None:
        async with self.database.session() as session:
            await session.execute(
                update(RefreshTokenRecord)
                .where(
                    RefreshTokenRecord.user_id == user_id, RefreshTokenRecord.revoked_at.is_(None)
                )
                .values(revoked_at=now())
                .execution_options(synchronize_session=False)
            )
            await session.commit()

    @staticmethod
    async def _revoke_family(session: AsyncSession, family: str) -> None:
        await session.execute(
            update(RefreshTokenRecord)
            .where(RefreshTokenRecord.family == family, RefreshTokenRecord.revoked_at.is_(None))
            .values(revoked_at=now())
            .execution_options(synchronize_session=False)
        )

    async def _issue(
        self,
        session: AsyncSession,
        user_id: int,
        family: str,
        scopes: frozenset[str],
        family_expires_at: datetime,
        moment: datetime,
    ) -> IssuedRefreshToken:
        value, token_hash = new_token()
        session.add(
            RefreshTokenRecord(
                token_hash=token_hash,
                family=family,
                user_id=user_id,
                issued_at=moment,
                expires_at=min(moment + self.idle, family_expires_at),
                family_expires_at=family_expires_at,
                scope=" ".join(sorted(scopes)),
            )
        )
        await session.flush()
        return IssuedRefreshToken(value, user_id, scopes)
