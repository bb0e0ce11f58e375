"""The ``auth`` stage: the credentials of each request, checked once, before the app.

No credentials: the request goes on anonymous (routes that need an identity answer 401
themselves). Bad credentials: 401 here, whatever the route, so a client learns early that its
token or key is wrong. Good ones: the identity is set for handlers and its subject is added to
every log line of the request.
"""

from collections.abc import Awaitable, Sequence

from starlette.responses import Response

from ..context import Exchange
from ..pipeline.stage import Stage
from .failures import AuthenticationError, KeysUnavailableError, record, unauthorized, unavailable
from .identity import Identity, current_identity
from .scheme import Scheme


class Authenticate(Stage):
    name = "auth"

    def __init__(self, schemes: Sequence[Scheme]) -> None:
        self.schemes = {scheme.header: scheme for scheme in schemes}

    def on_request(self, exchange: Exchange) -> Response | Awaitable[Response | None] | None:
        scheme, credentials = self.presented(exchange.scope["headers"])
        if scheme is None:
            current_identity.set(None)
            return None
        try:
            identity = scheme.authenticate(credentials)
        except (AuthenticationError, KeysUnavailableError) as failure:
            return self.refuse(exchange, scheme, failure)
        if isinstance(identity, Identity):
            self.accept(exchange, identity)
            return None
        return self.after_io(exchange, scheme, identity)

    def presented(self, headers: list[tuple[bytes, bytes]]) -> tuple[Scheme | None, bytes]:
        """The first header of an accepted scheme, and its value."""
        for name, value in headers:
            scheme = self.schemes.get(name)
            if scheme is not None:
                return scheme, value
        return None, b""

    async def after_io(
        self, exchange: Exchange, scheme: Scheme, pending: Awaitable[Identity]
    ) -> Response | None:
        try:
            identity = await pending
        except (AuthenticationError, KeysUnavailableError) as failure:
            return self.refuse(exchange, scheme, failure)
        self.accept(exchange, identity)
        return None

    @staticmethod
    def accept(exchange: Exchange, identity: Identity) -> None:
        current_identity.set(identity)
        exchange.caller = identity.subject
        exchange.add_log_field("subject", identity.subject)

    def refuse(
        self,
        exchange: Exchange,
        refusing: Scheme,
        failure: AuthenticationError | KeysUnavailableError,
    ) -> Response:
        current_identity.set(None)
        record(failure.reason)
        if isinstance(failure, KeysUnavailableError):
            return unavailable(exchange.path)
        return unauthorized(exchange.path, self.challenge(refusing))

    def challenge(self, invalid: Scheme | None = None) -> str:
        """Every accepted scheme's challenge; the one whose credentials were bad says so."""
        return ", ".join(scheme.challenge(scheme is invalid) for scheme in self.schemes.values())
