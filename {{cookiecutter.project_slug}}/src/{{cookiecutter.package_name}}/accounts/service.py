"""What accounts do: log in, refresh, log out, change a password, manage users.

Each operation runs in a transaction of its own and commits before it answers, refusals
included: a reused refresh token's family stays revoked although the request is refused.
Every refusal of credentials is the same ``invalid_grant`` to the client, whatever the reason
(no such user, a wrong password, a disabled account, a spent token); the reason goes to the log
and to ``auth_failures_total``.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from http import HTTPStatus

from sqlalchemy.ext.asyncio import AsyncSession

from ..auth.failures import record
from ..db.database import Database
from ..errors import AppError, BadRequestError, NotFoundError
from .access_tokens import AccessTokens
from .login_limits import LoginLimits
from .passwords import Hasher, PasswordPolicy, WeakPasswordError
from .refresh_tokens import IssuedRefreshToken, RefreshRefusedError, RefreshTokens
from .settings import AccountsSettings
from .users import User, Users


class InvalidGrantError(AppError):
    status = HTTPStatus.BAD_REQUEST
    error = "invalid_grant"

    def __init__(self) -> None:
        super().__init__("The credentials or the grant are not valid.")


class WrongPasswordError(AppError):
    """Changing one's password with a wrong current one."""

    status = HTTPStatus.FORBIDDEN

    def __init__(self) -> None:
        super().__init__("The current password is not right.")


@dataclass(frozen=True, slots=True)
class Tokens:
    access_token: str
    expires_in: int
    refresh_token: str
    scopes: frozenset[str]


class AccountService:
    def __init__(
        self,
        settings: AccountsSettings,
        database: Database,
        hasher: Hasher,
        access_tokens: AccessTokens,
        limits: LoginLimits,
    ) -> None:
        self.settings = settings
        self.database = database
        self.hasher = hasher
        self.access_tokens = access_tokens
        self.limits = limits
        self.policy = PasswordPolicy(settings)
        self.registration_scopes = frozenset(settings.registration_scopes.split())

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session of its own; a database away or not migrated is a 503."""
        with self.database.unavailable_on_fault():
            async with self.database.sessions() as session:
                yield session

    async def login(
        self, username: str, password: str, address: str, requested: frozenset[str] | None
    ) -> Tokens:
        await self.limits.check(username, address)
        async with self.transaction() as session:
            users = Users(session)
            user = await users.by_name(username)
            matches, new_hash = await self.hasher.verify(
                password, None if user is None else user.password_hash
            )
            reason = None
            if user is None:
                reason = "unknown_user"
            elif not matches:
                reason = "wrong_password"
            elif user.disabled:
                reason = "disabled"
            if reason is not None or user is None:
                await self.limits.failed(username, address)
                record(reason or "unknown_user")
                raise InvalidGrantError
            if new_hash is not None:  # an older method's hash: replaced by Argon2id's
                await users.set_password_hash(user.id, new_hash)
            scopes = user.scopes if requested is None else user.scopes & requested
            refresh = await RefreshTokens(session, self.settings).start_family(user.id, scopes)
            await session.commit()
        return self._tokens(refresh)

    async def refresh(self, token: str) -> Tokens:
        async with self.transaction() as session:
            tokens = RefreshTokens(session, self.settings)
            try:
                refresh = await tokens.rotate(token)
                user = await Users(session).by_id(refresh.user_id)
                if user is None or user.disabled:
                    await tokens.revoke_user(refresh.user_id)
                    raise RefreshRefusedError("disabled")
            except RefreshRefusedError as refused:
                await session.commit()  # a reuse's revocation stands
                record(refused.reason)
                raise InvalidGrantError from None
            # A scope taken from the user since the login is not granted again.
            refresh = IssuedRefreshToken(
                refresh.value, refresh.user_id, refresh.family, refresh.scopes & user.scopes
            )
            await session.commit()
        return self._tokens(refresh)

    async def logout(self, token: str) -> None:
        async with self.transaction() as session:
            await RefreshTokens(session, self.settings).revoke(token)
            await session.commit()

    async def user(self, user_id: int) -> User:
        async with self.transaction() as session:
            user = await Users(session).by_id(user_id)
        if user is None:
            raise NotFoundError("No such user.")
        return user

    async def users(self, limit: int, offset: int) -> tuple[list[User], int]:
        async with self.transaction() as session:
            return await Users(session).page(limit, offset)

    async def create_user(self, username: str, password: str, scopes: frozenset[str]) -> User:
        self.check_password(password, username)
        password_hash = await self.hasher.hash(password)
        async with self.transaction() as session:
            user = await Users(session).add(username, password_hash, scopes)
            await session.commit()
        return user

    async def change_password(self, user_id: int, current: str, new: str) -> None:
        user = await self.user(user_id)
        matches, _ = await self.hasher.verify(current, user.password_hash)
        if not matches:
            record("wrong_password")
            raise WrongPasswordError
        self.check_password(new, user.username)
        password_hash = await self.hasher.hash(new)
        async with self.transaction() as session:
            await Users(session).set_password_hash(user_id, password_hash)
            await RefreshTokens(session, self.settings).revoke_user(user_id)
            await session.commit()

    async def set_disabled(self, user_id: int, disabled: bool) -> User:
        async with self.transaction() as session:
            user = await Users(session).set_disabled(user_id, disabled)
            if user is None:
                raise NotFoundError("No such user.")
            if disabled:
                await RefreshTokens(session, self.settings).revoke_user(user_id)
            await session.commit()
        return user

    def check_password(self, password: str, username: str) -> None:
        try:
            self.policy.check(password, username)
        except WeakPasswordError as weak:
            raise BadRequestError(f"The password {weak}.") from None

    def _tokens(self, refresh: IssuedRefreshToken) -> Tokens:
        access = self.access_tokens.issue(str(refresh.user_id), refresh.scopes)
        return Tokens(access, self.access_tokens.lifetime, refresh.value, refresh.scopes)
