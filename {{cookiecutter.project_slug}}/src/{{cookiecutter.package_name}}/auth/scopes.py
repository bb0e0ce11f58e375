"""What a route requires of its caller: ``dependencies=require_scopes("items:write")``.

Without credentials the answer is a 401 with the accepted schemes' challenges; with credentials
that lack a scope, a 403. The route's OpenAPI operation lists the accepted schemes, so /docs
shows its lock and schemathesis knows what to send. A handler that needs the caller takes a
``Caller`` parameter.
"""

from collections.abc import Callable
from http import HTTPStatus
from typing import Annotated, Any, cast

from fastapi import Depends, HTTPException, Request, Security

from ..errors import problem_responses
from ..features import AUTH_SCHEMES
from ..state import service_state
from .failures import record
from .feature import Authentication
from .identity import Identity, current_identity

# Security objects among a route's dependencies are how FastAPI documents its security; the
# credentials themselves were checked by the auth stage.
# (A SecurityBase is callable in each of its kinds; its base class does not say so.)
DOCUMENTED = [Security(cast("Callable[..., Any]", scheme.security)) for scheme in AUTH_SCHEMES]
# The answers a route with requirements adds.
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = problem_responses(
    HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN
)


async def caller(request: Request) -> Identity:
    """The identity of the request; a 401 if it came without credentials."""
    identity = current_identity.get()
    if identity is None:
        record("missing")
        challenge = service_state(request).feature(Authentication).stage.challenge()
        raise HTTPException(
            HTTPStatus.UNAUTHORIZED,
            "Credentials are required.",
            headers={"WWW-Authenticate": challenge},
        )
    return identity


Caller = Annotated[Identity, Depends(caller)]


def require_scopes(*scopes: str) -> list[Any]:
    """Route dependencies: an identity holding every one of ``scopes``."""
    required = frozenset(scopes)

    async def has_scopes(identity: Caller) -> Identity:
        if not required <= identity.scopes:
            record("insufficient_scope")
            headers = {}
            if identity.scheme == "bearer":  # RFC 6750, section 3.1
                wanted = " ".join(sorted(required))
                headers["WWW-Authenticate"] = f'Bearer error="insufficient_scope", scope="{wanted}"'
            raise HTTPException(HTTPStatus.FORBIDDEN, "Insufficient scope.", headers=headers)
        return identity

    return [*DOCUMENTED, Depends(has_scopes)]
