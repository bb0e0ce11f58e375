"""Bearer tokens as a scheme: ``Authorization: Bearer <JWT>``."""

from collections.abc import AsyncIterator, Awaitable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import ClassVar

from fastapi.security import HTTPBearer
from fastapi.security.base import SecurityBase
from loguru import logger

from ...config import Environment, Settings, SettingsError, load
from ...feature import Routes
from ...state import ServiceState
from ..identity import Identity
from ..scheme import Scheme
from .dev_tokens import DevelopmentKey, dev_token_routes
from .keys import JwksKeys, KeySource, StaticKey
from .settings import BearerSettings
from .tokens import TokenVerifier, token_of

# Where a development key may stand in for a configured one.
DEVELOPMENT = frozenset({Environment.DEVELOPMENT, Environment.TEST})


class BearerTokens(Scheme):
    name = "bearer"
    header = b"authorization"
    security: ClassVar[SecurityBase] = HTTPBearer(
        bearerFormat="JWT", description="A JWT from the identity provider.", auto_error=False
    )

    def __init__(self, service: Settings, settings: BearerSettings | None = None) -> None:
        super().__init__(service)
        self.settings: BearerSettings = settings or load(BearerSettings)
        self.development_key: DevelopmentKey | None = None
        self.keys = self._key_source()
        self.verifier = TokenVerifier(
            self.keys,
            algorithms=self.settings.accepted_algorithms,
            issuer=self.settings.issuer,
            audience=self.settings.audience,
            leeway=self.settings.leeway_seconds,
            cache_size=self.settings.token_cache_size,
        )

    def _key_source(self) -> KeySource:
        settings = self.settings
        if settings.jwks_url is not None:
            return JwksKeys(
                str(settings.jwks_url),
                timeout=settings.jwks_timeout_seconds,
                cooldown=settings.jwks_cooldown_seconds,
                max_age=settings.jwks_max_age_seconds,
                on_change=lambda: self.verifier.forget(),
            )
        if settings.jwt_secret is not None:
            return StaticKey(settings.jwt_secret.get_secret_value())
        if settings.jwt_public_key is not None:
            return StaticKey(settings.jwt_public_key)
        if self.service.environment not in DEVELOPMENT:
            raise SettingsError(
                "invalid setting AUTH_JWKS_URL: set it, AUTH_JWT_PUBLIC_KEY or AUTH_JWT_SECRET"
                " (a development key stands in for them in development and test only)"
            )
        if "RS256" not in settings.accepted_algorithms:
            raise SettingsError("invalid setting AUTH_ALGORITHMS: the development key is RS256")
        self.development_key = DevelopmentKey.load_or_create()
        return StaticKey(self.development_key.public_pem)

    def challenge(self, invalid: bool) -> str:
        return 'Bearer error="invalid_token"' if invalid else "Bearer"

    def authenticate(self, value: bytes) -> Identity | Awaitable[Identity]:
        return self.verifier.verify(token_of(value))

    def lifespan(self, state: ServiceState) -> AbstractAsyncContextManager[None]:
        return self._keys_kept_fresh()

    @asynccontextmanager
    async def _keys_kept_fresh(self) -> AsyncIterator[None]:
        if isinstance(self.keys, JwksKeys):
            async with self.keys.running():
                yield
            return
        if self.development_key is not None:
            logger.warning("bearer tokens are checked with a development key: never in production")
        yield

    def routes(self) -> Sequence[Routes]:
        """The development helper that issues tokens, where a development key is in use (or the
        development secret): never in staging or production."""
        if self.service.environment not in DEVELOPMENT:
            return []
        signing_key: str | None = None
        if self.development_key is not None:
            signing_key = self.development_key.private_pem
        elif self.settings.jwt_secret is not None:
            signing_key = self.settings.jwt_secret.get_secret_value()
        if signing_key is None:
            return []  # tokens come from the identity provider only
        algorithm = self.settings.accepted_algorithms[0]
        return [Routes(dev_token_routes(signing_key, algorithm, self.settings), api_version=None)]
