"""What accounts do: log in, refresh, log out, change a password, manage users.

No connection is held while a password is hashed; a reused refresh token's family stays
revoked although the request is refused (the store commits it).
Every refusal of credentials is the same ``invalid_grant`` to the client, whatever the reason
(no such user, a wrong password, a disabled account, a spent token); the reason goes to the log
and to ``auth_failures_total``.
"""

from dataclasses import dataclass
from http import HTTPStatus
from typing import Literal, overload

from ..auth.failures import record
from ..db.database import Database
from ..errors import AppError, BadRequestError, NotFoundError
from .access_tokens import AccessTokens
from .login_limits import LoginLimits
from .passwords import Hasher, PasswordPolicy, WeakPasswordError
from .refresh_tokens import IssuedRefreshToken, RefreshRefusedError, RefreshTokenStore
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
        refresh_tokens: RefreshTokenStore,
        hasher: Hasher,
        access_tokens: AccessTokens,
        limits: LoginLimits,
    ) -> None:
        self.database = database
        self.refresh_tokens = refresh_tokens
        self.hasher = hasher
        self.access_tokens = access_tokens
        self.limits = limits
        self.policy = PasswordPolicy(settings)
        self.registration_scopes = frozenset(settings.registration_scopes.split())

    async def login(
        self, username: str, password: str, address: str, requested: frozenset[str] | None
    ) -> Tokens:
        await self.limits.check(username, address)
        user = await self.user_named(username)
        # Checked with no connection held: a hash takes tens of milliseconds.
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
            async with self.database.session() as session:
                await Users(session).set_password_hash(user.id, new_hash)
                await session.commit()
        scopes = user.scopes if requested is None else user.scopes & requested
        return self._tokens(await self.refresh_tokens.start_family(user.id, scopes), scopes)

    async def refresh(self, token: str) -> Tokens:
        try:
            refresh = await self.refresh_tokens.rotate(token)
            user = await self.user(refresh.user_id, missing_ok=True)
            if user is None or user.disabled:
                await self.refresh_tokens.revoke_user(refresh.user_id)
                raise RefreshRefusedError("disabled")
        except RefreshRefusedError as refused:
            record(refused.reason)
            raise InvalidGrantError from None
        # A scope taken from the user since the login is not granted again.
        return self._tokens(refresh, refresh.scopes & user.scopes)

    async def logout(self, token: str) -> None:
        await self.refresh_tokens.revoke(token)

    async def user_named(self, username: str) -> User | None:
        async with self.database.session() as session:
            return await Users(session).by_name(username)

    @overload
    async def user(self, user_id: int, *, missing_ok: Literal[False] = False) -> User: ...

    @overload
    async def user(self, user_id: int, *, missing_ok: bool) -> User | None: ...

    async def user(self, user_id: int, *, missing_ok: bool = False) -> User | None:
        async with self.database.session() as session:
            user = await Users(session).by_id(user_id)
        if user is None and not missing_ok:
            raise NotFoundError("No such user.")
        return user

    async def users(self, limit: int, offset: int) -> tuple[list[User], int]:
        async with self.database.session() as session:
            return await Users(session).page(limit, offset)

    async def create_user(self, username: str, password: str, scopes: frozenset[str]) -> User:
        self.check_password(password, username)
        password_hash = await self.hasher.hash(password)
        async with self.database.session() as session:
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
        # The logins end first: if the change then fails, the user logs in again, no harm.
        await self.refresh_tokens.revoke_user(user_id)
        async with self.database.session() as session:
            await Users(session).set_password_hash(user_id, password_hash)
            await session.commit()

    async def set_disabled(self, user_id: int, disabled: bool) -> User:
        async with self.database.session() as session:
            user = await Users(session).set_disabled(user_id, disabled)
            if user is None:
                raise NotFoundError("No such user.")
            await session.commit()
        if disabled:  # a refresh also checks the user, should this fail
            await self.refresh_tokens.revoke_user(user_id)
        return user

    def check_password(self, password: str, username: str) -> None:
        try:
            self.policy.check(password, username)
        except WeakPasswordError as weak:
            raise BadRequestError(f"The password {weak}.") from None

    def _tokens(self, refresh: IssuedRefreshToken, scopes: frozenset[str]) -> Tokens:
        access = self.access_tokens.issue(str(refresh.user_id), scopes)
        return Tokens(access, self.access_tokens.lifetime, refresh.value, scopes)
