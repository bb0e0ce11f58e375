"""Refused credentials: the reason goes to the log and the metric, never to the client.

Every refusal is a problem+json that tells an attacker nothing they did not send: 401 with the
``WWW-Authenticate`` challenges of the accepted schemes, 403 for too few scopes, 503 when the
keys to check a token cannot be had.
"""

from http import HTTPStatus

from loguru import logger
from prometheus_client import Counter
from starlette.responses import Response

from ..errors import problem_response

FAILURES = Counter(
    "auth_failures_total", "Requests refused for their credentials, by reason.", ["reason"]
)


class AuthenticationError(Exception):
    """Credentials that do not establish an identity. ``reason`` is one word for the log and the
    metric (``missing``, ``expired``, ``bad_signature``, ``wrong_audience``, ...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class KeysUnavailableError(Exception):
    """No key to check a token with, and the key set cannot be fetched now."""

    reason = "keys_unavailable"


def record(reason: str) -> None:
    FAILURES.labels(reason).inc()
    logger.bind(reason=reason).info("credentials refused: {}", reason)


def unauthorized(path: str, challenge: str) -> Response:
    return problem_response(
        path,
        HTTPStatus.UNAUTHORIZED,
        "Valid credentials are required.",
        headers={"WWW-Authenticate": challenge},
    )


def unavailable(path: str) -> Response:
    return problem_response(
        path,
        HTTPStatus.SERVICE_UNAVAILABLE,
        "Credentials cannot be checked right now; try again shortly.",
        headers={"Retry-After": "5"},
    )
