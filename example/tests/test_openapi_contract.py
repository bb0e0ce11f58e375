"""The API against its own OpenAPI document, fuzzed with schemathesis on a real server: no 5xx,
statuses, content types and bodies as documented, and every error a problem+json."""

import json
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, BaseSchema, Case, CheckContext, Response
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from support.credentials import HEADERS
from support.servers import RunningService, running_service

PROBLEM = "application/problem+json"
JSON_CONTENT = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def service() -> Iterator[RunningService]:
    """Docs are off in production by default: on here, for the document. Whatever the service
    calls out to from fuzzed input (a URL it was given to check, say) goes to a proxy that is
    not there, never to a host of the fuzzer's invention. Rate limits on: one route refuses
    often, so its 429 is fuzzed too, and every route documents one."""
    nowhere = "http://127.0.0.1:9"
    environment = {"HTTP_PROXY": nowhere, "HTTPS_PROXY": nowhere, "ALL_PROXY": nowhere}
    environment["RATE_LIMITS"] = json.dumps(
        {"GET /api/v1/items": "5/second", "default": "1000/second"}
    )
    with running_service(
        {"DOCS_ENABLED": "true", "ACCESS_LOG": "false", "NO_PROXY": "", **environment}
    ) as service:
        yield service


@pytest.fixture(scope="module")
def api_schema(service: RunningService) -> BaseSchema:
    """The document as the running service serves it."""
    return schemathesis.openapi.from_url(f"{service.url}/openapi.json")


def errors_are_problems(ctx: CheckContext, response: Response, case: Case[Any]) -> None:
    if response.status_code < 400:
        return
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type == PROBLEM, f"{response.status_code} answered as {content_type}"
    problem = json.loads(response.content)
    assert problem["status"] == response.status_code
    assert "Traceback" not in response.text


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    errors_are_problems,
]

# Examples are the same on every run: a failure here is never luck.
FUZZING = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)


def fuzz(operation: APIOperation[Any, Any, Any, Any]) -> None:
    @given(case=operation.as_strategy())
    @FUZZING
    def call(case: Case[Any]) -> None:
        # With the credentials to change items, so writes are fuzzed beyond their 401.
        case.call_and_validate(checks=CHECKS, headers=HEADERS)

    try:
        call()
    except Exception as error:
        error.add_note(f"operation: {operation.label}")
        raise


def test_every_operation_keeps_its_contract(api_schema: BaseSchema) -> None:
    operations = []
    for result in api_schema.get_all_operations():
        assert isinstance(result, Ok), result.err()  # an operation the document describes wrongly
        operations.append(result.ok())

    assert len(operations) >= 8  # probes, root, service health and the items resource
    for operation in operations:
        fuzz(operation)


def test_random_bytes_as_a_body_get_a_documented_answer(
    api_schema: BaseSchema, service: RunningService
) -> None:
    """Generated cases are valid JSON; random bytes (not even UTF-8) must be answered as
    documented too."""
    taking_bodies = [
        (
            method.upper(),
            path.replace("{item_id}", "1"),
            {int(s) for s in spec["responses"] if s.isdigit()},
        )
        for path, item in api_schema.raw_schema["paths"].items()
        for method, spec in item.items()
        if "requestBody" in spec
    ]
    assert taking_bodies  # the items resource takes bodies

    @given(body=st.binary(max_size=256))
    @FUZZING
    def send(body: bytes) -> None:
        for method, path, documented in taking_bodies:
            response = httpx2.request(
                method, service.url + path, content=body, headers={**JSON_CONTENT, **HEADERS}
            )
            assert response.status_code in documented, (method, path, body, response.text)
            if response.status_code >= 400:
                assert response.headers["content-type"] == PROBLEM

    send()
