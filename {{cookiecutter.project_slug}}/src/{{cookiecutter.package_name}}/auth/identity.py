"""The caller of a request, as its credentials established it."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Identity:
    # The token's ``sub`` claim or the API key's id: safe to log, never a secret.
    subject: str
    scopes: frozenset[str]
    # The scheme that established it: "bearer" or "api_key".
    scheme: str


# Set by the auth stage for every request (None: anonymous). Each request runs in a task of its
# own, with its own copy of the context: the value never reaches another request.
current_identity: ContextVar[Identity | None] = ContextVar("identity", default=None)
