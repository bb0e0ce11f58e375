from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from my_service.config import Environment, Settings
from my_service.logging import configure_logging
from my_service.main import create_app

from support import LogCapture
from support.credentials import HEADERS

PLUGINS = Path(__file__).parent / "support" / "plugins"
pytest_plugins = sorted(f"support.plugins.{path.stem}" for path in PLUGINS.glob("[!_]*.py"))


@pytest.fixture
def anyio_backend() -> str:
    """Async tests (marked ``anyio``) run on asyncio, as the service does."""
    return "asyncio"


@pytest.fixture
def settings() -> Settings:
    return Settings(environment=Environment.TEST)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An HTTP client for the app, with its lifespan run, allowed to change items."""
    with TestClient(app, headers=HEADERS) as client:
        yield client


@pytest.fixture
def logs(client: TestClient, settings: Settings) -> LogCapture:
    """What the app logs from here on, parsed."""
    capture = LogCapture()
    configure_logging(settings.model_copy(update={"log_format": "json"}), capture.stream)
    return capture
