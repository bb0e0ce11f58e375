"""Accounts for the test session, a pytest plugin (conftest.py loads it): the service signs and
checks tokens with the session's key."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.config import Environment, Settings
from {{ cookiecutter.package_name }}.main import create_app

from support.accounts import KEY_PEM, VARIABLES


@pytest.fixture(scope="session", autouse=True)
def signing_keys() -> Iterator[str]:
    with pytest.MonkeyPatch.context() as environment:
        for name in VARIABLES:
            environment.delenv(name, raising=False)
        environment.setenv("ACCOUNTS_SIGNING_KEYS", KEY_PEM)
        yield KEY_PEM


@pytest.fixture
def anonymous() -> Iterator[TestClient]:
    """A client of the service without credentials: the accounts' tests present their own (the
    usual ``client`` carries a token that changes items)."""
    with TestClient(create_app(Settings(environment=Environment.TEST))) as client:
        yield client
