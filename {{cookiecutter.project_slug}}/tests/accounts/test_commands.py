"""``python -m <package> user create``: the password from standard input, never argv."""

import subprocess
import sys

from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.config import Environment, Settings
from {{ cookiecutter.package_name }}.main import create_app

from support.accounts import PASSWORD, WEAK_PASSWORD, login

PACKAGE = "{{ cookiecutter.package_name }}"


def run(*arguments: str, password: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (the tests' own interpreter and package)
        [sys.executable, "-m", PACKAGE, *arguments],
        input=password + "\n",
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_the_first_administrator_is_created_from_the_command_line() -> None:
    created = run(
        "user", "create", "--username", "root", "--scopes", "users:admin", password=PASSWORD
    )

    assert created.returncode == 0, created.stderr
    assert PASSWORD not in created.stdout + created.stderr
    with TestClient(create_app(Settings(environment=Environment.TEST))) as client:
        tokens = login(client, "root").json()
        assert tokens["scope"] == "users:admin"
        assert (
            client.get(
                "/api/v1/users", headers={"Authorization": f"Bearer {tokens['access_token']}"}
            ).status_code
            == 200
        )


def test_a_weak_password_or_a_taken_name_is_refused_in_one_line() -> None:
    weak = run("user", "create", "--username", "root", password=WEAK_PASSWORD)
    assert weak.returncode != 0
    assert weak.stderr.strip() == "The password must be at least 12 characters."

    assert run("user", "create", "--username", "root", password=PASSWORD).returncode == 0
    taken = run("user", "create", "--username", "Root", password=PASSWORD)
    assert taken.returncode != 0
    assert taken.stderr.strip() == "Cannot create the user: That username cannot be used."


def test_a_signing_key_is_printed_for_the_settings() -> None:
    from {{ cookiecutter.package_name }}.accounts.keys import parse_keys

    printed = subprocess.run(  # noqa: S603
        [sys.executable, "-m", PACKAGE, "signing-key"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout

    assert len(parse_keys(printed)) == 1
