from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from support.serving import wait_until_ready


@pytest.fixture
def predicting(app: FastAPI) -> Iterator[TestClient]:
    """A client of the app once its model is loaded."""
    with TestClient(app) as client:
        wait_until_ready(client)
        yield client
