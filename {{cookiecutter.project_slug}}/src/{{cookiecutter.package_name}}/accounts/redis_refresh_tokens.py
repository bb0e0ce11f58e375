"""Refresh tokens in Redis: a hash per token, expiring when the token does.

``token:<sha-256>`` holds the user, the family, the scopes and the family's end; a token is spent
by ``HINCRBY used 1``, atomic, so of two refreshes racing with one token exactly one sees 1. A
spent token is kept until its family ends, so its reuse is recognised for as long as the family
could be used. ``family:<id>:revoked`` marks a revoked family until its end; ``user:<id>:families``
lists a user's families, for revoking them all. Redis away: a 503, as for a database away.
"""

import time
from collections.abc import Awaitable
from datetime import timedelta
from typing import Any, TypeVar

from redis.asyncio import Redis

from ..errors import UnavailableError
from ..redis.client import ERRORS
from .refresh_tokens import (
    IssuedRefreshToken,
    RefreshRefusedError,
    digest,
    new_family,
    new_token,
)
from .settings import AccountsSettings

T = TypeVar("T")


def text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class RedisRefreshTokens:
    def __init__(self, client: Redis, key_prefix: str, settings: AccountsSettings) -> None:
        self.client = client
        self.prefix = f"{key_prefix}accounts:"
        self.idle = settings.refresh_idle_seconds
        self.absolute = settings.refresh_absolute_seconds

    async def start_family(self, user_id: int, scopes: frozenset[str]) -> IssuedRefreshToken:
        family, end = new_family(), time.time() + self.absolute
        families = self._families(user_id)
        async with self.client.pipeline(transaction=True) as pipeline:
            issued = self._issue(pipeline, user_id, family, scopes, end)
            pipeline.sadd(families, family)
            pipeline.expire(families, timedelta(seconds=self.absolute))
            await self._answer(pipeline.execute())
        return issued

    async def rotate(self, token: str) -> IssuedRefreshToken:
        key = self._token(digest(token))
        held = {text(k): text(v) for k, v in (await self._answer(self.client.hgetall(key))).items()}
        if not held:  # never issued, or expired (its key with it)
            raise RefreshRefusedError("refresh_unknown")
        user_id, family, end = int(held["user"]), held["family"], float(held["end"])
        if await self._answer(self.client.exists(self._revoked(family))):
            raise RefreshRefusedError("refresh_revoked")
        if end <= time.time():
            raise RefreshRefusedError("refresh_expired")
        if await self._answer(self.client.hincrby(key, "used", 1)) != 1:
            await self._revoke_family(family, end)
            raise RefreshRefusedError("refresh_reused")
        scopes = frozenset(held["scope"].split())
        async with self.client.pipeline(transaction=True) as pipeline:
            # Spent, it is kept until the family ends: its reuse must be recognised till then.
            pipeline.expireat(key, int(end) + 1)
            issued = self._issue(pipeline, user_id, family, scopes, end)
            await self._answer(pipeline.execute())
        return issued

    async def revoke(self, token: str) -> None:
        held = await self._answer(self.client.hmget(self._token(digest(token)), ["family", "end"]))
        family, end = held
        if family is not None and end is not None:
            await self._revoke_family(text(family), float(end))

    async def revoke_user(self, user_id: int) -> None:
        families = await self._answer(self.client.smembers(self._families(user_id)))
        if families:
            async with self.client.pipeline(transaction=False) as pipeline:
                for family in families:
                    # A family ends within the absolute lifetime: its mark may go then.
                    pipeline.set(self._revoked(text(family)), 1, ex=self.absolute)
                await self._answer(pipeline.execute())

    def _issue(
        self, pipeline: Any, user_id: int, family: str, scopes: frozenset[str], end: float
    ) -> IssuedRefreshToken:
        value, token_hash = new_token()
        key = self._token(token_hash)
        fields = {"user": user_id, "family": family, "scope": " ".join(sorted(scopes)), "end": end}
        pipeline.hset(key, mapping=fields)
        pipeline.expireat(key, int(min(time.time() + self.idle, end)) + 1)
        return IssuedRefreshToken(value, user_id, scopes)

    async def _revoke_family(self, family: str, end: float) -> None:
        await self._answer(self.client.set(self._revoked(family), 1, exat=int(end) + 1))

    def _token(self, token_hash: str) -> str:
        return f"{self.prefix}token:{token_hash}"

    def _revoked(self, family: str) -> str:
        return f"{self.prefix}family:{family}:revoked"

    def _families(self, user_id: int) -> str:
        return f"{self.prefix}user:{user_id}:families"

    @staticmethod
    async def _answer(call: Awaitable[T]) -> T:
        try:
            return await call
        except ERRORS as error:
            raise UnavailableError(
                "Logins cannot be checked right now; try again shortly."
            ) from error
