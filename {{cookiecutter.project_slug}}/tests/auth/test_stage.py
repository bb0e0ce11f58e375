"""The auth stage, with a scheme of the test's own: anonymous requests pass, bad credentials are
a 401 on any route, a scheme may wait for I/O, and the caller's subject is logged."""

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.auth.identity import current_identity
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.logging import configure_logging

from support import LogCapture
from support.auth import TEST_SETTINGS, Passwords, app_with, failures

PROBLEM = "application/problem+json"
whoami = APIRouter()


@whoami.get("/whoami")
async def who_am_i() -> dict[str, str | None]:
    identity = current_identity.get()
    return {"subject": identity.subject if identity else None}


@pytest.fixture
def client() -> TestClient:
    app = app_with([Passwords(TEST_SETTINGS)])
    app.include_router(whoami)
    return TestClient(app)


def test_a_request_without_credentials_goes_on_anonymous(client: TestClient) -> None:
    response = client.get("/whoami")

    assert response.status_code == 200
    assert response.json() == {"subject": None}


@pytest.mark.parametrize("password", ["alice", "slow-alice"])
def test_good_credentials_establish_the_caller(client: TestClient, password: str) -> None:
    response = client.get("/whoami", headers={"X-Password": password})

    assert response.json() == {"subject": "alice"}


def test_bad_credentials_are_a_401_on_any_route_without_saying_why(client: TestClient) -> None:
    before = failures("wrong_password")

    response = client.get("/whoami", headers={"X-Password": "mallory"})

    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["www-authenticate"] == "Password invalid"
    assert "wrong_password" not in response.text
    assert failures("wrong_password") == before + 1


def test_credentials_that_cannot_be_checked_now_are_a_503(client: TestClient) -> None:
    response = client.get("/whoami", headers={"X-Password": "unreachable"})

    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["status"] == 503


def test_the_caller_does_not_outlive_its_request(client: TestClient) -> None:
    client.get("/whoami", headers={"X-Password": "alice"})

    assert client.get("/whoami").json() == {"subject": None}


def test_log_lines_of_the_request_carry_the_subject_never_the_credentials(
    client: TestClient, settings: Settings
) -> None:
    capture = LogCapture()
    configure_logging(settings.model_copy(update={"log_format": "json"}), capture.stream)

    client.get("/whoami", headers={"X-Password": "alice"})
    client.get("/whoami", headers={"X-Password": "mallory"})

    access = capture.by_logger("access")
    assert [line.get("subject") for line in access] == ["alice", None]
    refused = [r for r in capture.records if r["message"].startswith("credentials refused")]
    assert refused[0]["reason"] == "wrong_password"
    assert "mallory" not in capture.stream.getvalue()
