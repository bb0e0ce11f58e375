"""Redis for the tests, a pytest plugin (conftest.py loads it): every test writes its keys under
a prefix of its own (``REDIS_KEY_PREFIX``, which the servers it starts inherit too), deleted
after it, so tests never read each other's counts or cached items."""

import uuid
from collections.abc import Iterator

import pytest

from support.redis import delete_keys


@pytest.fixture(autouse=True)
def redis_prefix(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    prefix = f"test-{uuid.uuid4().hex[:12]}:"
    monkeypatch.setenv("REDIS_KEY_PREFIX", prefix)
    yield prefix
    delete_keys(prefix)
