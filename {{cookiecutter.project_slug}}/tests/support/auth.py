"""The service with the authentication schemes a test chooses, and a scheme of the tests' own."""

import asyncio
from collections.abc import Awaitable, Sequence
from typing import ClassVar

from fastapi import FastAPI
from fastapi.security import APIKeyHeader
from fastapi.security.base import SecurityBase
from prometheus_client import REGISTRY

from {{ cookiecutter.package_name }}.auth.failures import AuthenticationError, KeysUnavailableError
from {{ cookiecutter.package_name }}.auth.feature import Authentication
from {{ cookiecutter.package_name }}.auth.identity import Identity
from {{ cookiecutter.package_name }}.auth.scheme import Scheme
from {{ cookiecutter.package_name }}.config import Environment, Settings
from {{ cookiecutter.package_name }}.features import enabled_features
from {{ cookiecutter.package_name }}.main import create_app

TEST_SETTINGS = Settings(environment=Environment.TEST)


def app_with(schemes: Sequence[Scheme], settings: Settings = TEST_SETTINGS) -> FastAPI:
    """The service accepting ``schemes``, its other features as enabled."""
    others = [
        feature
        for feature in enabled_features(settings)
        if not isinstance(feature, Scheme | Authentication)
    ]
    return create_app(settings, [*others, *schemes, Authentication(schemes)])


def failures(reason: str) -> float:
    """How many requests ``auth_failures_total`` counts as refused for ``reason``."""
    value = REGISTRY.get_sample_value("auth_failures_total", {"reason": reason})
    return value or 0.0


class Passwords(Scheme):
    """``X-Password: <name>`` is good for ``alice``; ``slow-alice`` waits for I/O first;
    ``unreachable`` cannot be checked now."""

    name = "passwords"
    header = b"x-password"
    security: ClassVar[SecurityBase] = APIKeyHeader(name="X-Password", auto_error=False)

    def challenge(self, invalid: bool) -> str:
        return "Password invalid" if invalid else "Password"

    def authenticate(self, value: bytes) -> Identity | Awaitable[Identity]:
        if value == b"alice":
            return Identity("alice", frozenset({"items:write"}), "password")
        if value == b"slow-alice":
            return self.after_a_while()
        if value == b"unreachable":
            raise KeysUnavailableError()
        raise AuthenticationError("wrong_password")

    async def after_a_while(self) -> Identity:
        await asyncio.sleep(0.01)
        return Identity("alice", frozenset(), "password")
