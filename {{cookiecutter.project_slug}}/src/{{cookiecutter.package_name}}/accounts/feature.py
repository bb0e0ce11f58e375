"""Accounts as a feature: the service's keys, the token and user routes, the ``user`` and
``signing-key`` commands; the services that use the database, built with it for the app's
life."""

from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from ..config import Settings, load
from ..db.feature import DatabaseFeature
from ..feature import Command, Feature, Routes
from ..rate_limits.store import MemoryStore
from ..state import ServiceState
from .access_tokens import AccessTokens
from .commands import account_commands
from .keys import SigningKeys, load_signing_keys
from .login_limits import LoginLimits
from .passwords import Hasher
from .refresh_store import refresh_token_store
from .scheme import AccountTokens, audience_of, issuer_of
from .service import AccountService
from .settings import AccountsSettings


class Accounts(Feature):
    name = "accounts"

    def __init__(self, service: Settings, settings: AccountsSettings | None = None) -> None:
        self.service_settings = service
        self.settings: AccountsSettings = settings or load(AccountsSettings)
        self.keys: SigningKeys = load_signing_keys(self.settings, service.environment)
        self.access_tokens = AccessTokens(
            self.keys,
            issuer=issuer_of(service, self.settings),
            audience=audience_of(service, self.settings),
            lifetime=self.settings.access_token_seconds,
        )
        self._service: AccountService | None = None

    def scheme(self) -> AccountTokens:
        """The bearer scheme that checks the tokens issued here."""
        return AccountTokens(self.service_settings, self.settings, self.keys)

    @property
    def service(self) -> AccountService:
        if self._service is None:
            raise RuntimeError("accounts are used outside the app's lifespan")
        return self._service

    def routes(self) -> Sequence[Routes]:
        # Imported here: the routes import the accepted schemes from features.py, which
        # imports this module.
        from .routes import jwks_router, token_router, users_router

        return [
            Routes(token_router()),
            Routes(users_router(self.settings.registration)),
            Routes(jwks_router(self.keys.jwks()), api_version=None),
        ]

    def lifespan(self, state: ServiceState) -> AbstractAsyncContextManager[None]:
        return self._serving(state)

    @asynccontextmanager
    async def _serving(self, state: ServiceState) -> AsyncIterator[None]:
        database = state.feature(DatabaseFeature).database
        refresh_tokens = refresh_token_store(state, self.settings)
        shared = next((f.rate_limit_store for f in state.features if f.rate_limit_store), None)
        limits = LoginLimits(
            shared or MemoryStore(),
            self.settings.login_limits_per_username,
            self.settings.login_limits_per_address,
        )
        hasher = Hasher(self.settings)
        self._service = AccountService(
            self.settings, database, refresh_tokens, hasher, self.access_tokens, limits
        )
        try:
            yield
        finally:
            self._service = None

    def commands(self) -> Sequence[Command]:
        return account_commands(self.settings)
