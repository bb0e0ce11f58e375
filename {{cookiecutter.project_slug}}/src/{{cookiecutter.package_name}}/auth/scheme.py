"""A scheme: one way for a client to present credentials, as a feature of the service."""

from collections.abc import Awaitable
from typing import ClassVar

from fastapi.security.base import SecurityBase

from ..config import Settings
from ..feature import Feature
from .identity import Identity


class Scheme(Feature):
    """Reads one request header and turns its value into an ``Identity``.

    A scheme is a feature: it may bring settings, a lifespan (a key set to refresh), commands and
    routes of its own. ``features.py`` lists the enabled ones.
    """

    # The lower-case header the credentials come in.
    header: ClassVar[bytes]
    # How the OpenAPI document describes it: /docs' Authorize button, schemathesis' credentials.
    security: ClassVar[SecurityBase]

    def __init__(self, service: Settings) -> None:
        self.service = service

    def challenge(self, invalid: bool) -> str:
        """The ``WWW-Authenticate`` challenge of a 401 (``invalid``: these credentials were bad)."""
        raise NotImplementedError

    def authenticate(self, value: bytes) -> Identity | Awaitable[Identity]:
        """The identity the header's value establishes, or ``AuthenticationError``.

        Plain, so the usual case costs no coroutine; an awaitable only when checking needs I/O
        first (fetching a key set).
        """
        raise NotImplementedError
