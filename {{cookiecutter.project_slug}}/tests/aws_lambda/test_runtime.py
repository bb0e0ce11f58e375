import json
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import pytest
from mangum.exceptions import LifespanFailure

from {{ cookiecutter.package_name }}.aws_lambda.runtime import FunctionRuntime
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.feature import Feature
from {{ cookiecutter.package_name }}.features import enabled_features
from {{ cookiecutter.package_name }}.logging import configure_logging
from {{ cookiecutter.package_name }}.state import ServiceState

from support import LogCapture
from support.credentials import HEADERS
from support.lambda_events import (
    LambdaContext,
    body_of,
    headers_of,
    http_api_request,
    recorded,
    rest_api_request,
)

ITEMS = "/api/v1/items"
JSON = {"content-type": "application/json", **HEADERS}


def json_body(response: dict[str, Any]) -> Any:
    return json.loads(body_of(response))


@pytest.fixture
def logs(function: FunctionRuntime, function_settings: Settings) -> LogCapture:
    capture = LogCapture()
    configure_logging(function_settings, capture.stream)
    return capture


def test_the_recorded_rest_api_event_gets_the_openapi_document(function: FunctionRuntime) -> None:
    response = function(recorded("rest_api_openapi"), LambdaContext())

    assert response["statusCode"] == 200
    document = json_body(response)
    assert document["paths"].keys() == function.app.openapi()["paths"].keys()
    # Behind the stage: "Try it out" sends requests through it.
    assert document["servers"] == [{"url": "/prod"}]


@pytest.mark.parametrize(
    "event",
    [
        rest_api_request("GET", "/docs"),
        http_api_request("GET", "/docs", stage="prod"),
    ],
    ids=["rest-api", "http-api"],
)
def test_the_docs_page_behind_a_stage_loads_the_document_through_it(
    function: FunctionRuntime, event: dict[str, Any]
) -> None:
    response = function(event, LambdaContext())

    page = body_of(response).decode()
    assert response["statusCode"] == 200
    assert "data-openapi-url='/prod/openapi.json'" in page
    assert "src='/prod/docs/assets/swagger-ui-bundle.js'" in page


def test_an_http_api_event_is_answered(function: FunctionRuntime) -> None:
    created = function(
        http_api_request("POST", ITEMS, headers=JSON, body=b'{"name": "Widget"}'), LambdaContext()
    )
    listed = function(recorded("http_api_items"), LambdaContext())

    assert created["statusCode"] == 201
    assert listed["statusCode"] == 200
    assert headers_of(listed)["content-type"] == "application/json"
    page = json_body(listed)
    assert [item["name"] for item in page["items"]] == ["Widget"]
    assert page["limit"] == 10  # the query string arrived


@pytest.mark.parametrize("stage", ["prod", "$default"])
def test_a_route_is_reached_through_a_named_stage_or_none(
    function: FunctionRuntime, stage: str
) -> None:
    http_api = function(http_api_request("GET", ITEMS, stage=stage), LambdaContext())
    rest_api = function(rest_api_request("GET", ITEMS, stage=stage), LambdaContext())

    no_items = {"items": [], "total": 0, "limit": 20, "offset": 0}
    assert http_api["statusCode"] == rest_api["statusCode"] == 200
    assert json_body(http_api) == json_body(rest_api) == no_items


def test_a_base64_encoded_body_arrives_decoded(function: FunctionRuntime) -> None:
    body = '{"name": "Gr\u00fc\u00dfe"}'.encode()
    event = http_api_request("POST", ITEMS, headers=JSON, body=body, base64_body=True)

    response = function(event, LambdaContext())

    assert response["statusCode"] == 201
    assert json_body(response)["name"] == "Gr\u00fc\u00dfe"


@pytest.mark.parametrize(
    ("event", "status"),
    [
        (http_api_request("GET", f"{ITEMS}/999"), 404),
        (http_api_request("POST", ITEMS, headers=JSON, body=b'{"name": ""}'), 422),
        (rest_api_request("GET", "/no/such/route"), 404),
        (http_api_request("DELETE", "/health/live"), 405),
    ],
    ids=["missing item", "invalid body", "no route", "wrong method"],
)
def test_errors_are_problem_details_in_text(
    function: FunctionRuntime, event: dict[str, Any], status: int
) -> None:
    response = function(event, LambdaContext())

    assert response["statusCode"] == status
    assert headers_of(response)["content-type"] == "application/problem+json"
    assert not response["isBase64Encoded"]  # readable as it is, in API Gateway's logs too
    assert json_body(response)["status"] == status


def test_the_request_id_is_api_gateways_unless_the_client_sent_one(
    function: FunctionRuntime,
) -> None:
    event = http_api_request("GET", "/health/live")
    chosen = http_api_request("GET", "/health/live", headers={"X-Request-ID": "client-chosen-1"})

    answered = function(event, LambdaContext())
    kept = function(chosen, LambdaContext())

    assert headers_of(answered)["x-request-id"] == event["requestContext"]["requestId"]
    assert headers_of(kept)["x-request-id"] == "client-chosen-1"


def test_every_log_line_of_an_invocation_has_lambdas_request_id(
    function: FunctionRuntime, logs: LogCapture
) -> None:
    context = LambdaContext()
    event = http_api_request("GET", f"{ITEMS}/999")

    function(event, context)

    # Written by the time the invocation returns: the environment may freeze right after.
    lines = [json.loads(line) for line in logs.stream.getvalue().splitlines()]
    (access,) = [line for line in lines if line["logger"] == "access"]
    assert access["aws_request_id"] == context.aws_request_id
    assert access["request_id"] == event["requestContext"]["requestId"]
    assert access["route"] == "/api/v1/items/{item_id}"


class Counting(Feature):
    """Counts the app's starts and stops."""

    name = "counting"

    def __init__(self) -> None:
        self.starts = self.stops = 0

    def lifespan(self, state: ServiceState) -> AbstractAsyncContextManager[None]:
        return self._running()

    @asynccontextmanager
    async def _running(self) -> AsyncIterator[None]:
        self.starts += 1
        try:
            yield
        finally:
            self.stops += 1


def test_the_app_starts_once_for_many_invocations_and_stops_once_on_close(
    function_settings: Settings,
) -> None:
    counting = Counting()
    runtime = FunctionRuntime.start(
        function_settings, [*enabled_features(function_settings), counting]
    )
    try:
        for _ in range(3):
            response = runtime(http_api_request("GET", "/health/ready"), LambdaContext())
            assert response["statusCode"] == 200
        assert (counting.starts, counting.stops) == (1, 0)
    finally:
        runtime.close()
    runtime.close()

    assert (counting.starts, counting.stops) == (1, 1)


class FailingToStart(Feature):
    name = "failing"

    def lifespan(self, state: ServiceState) -> AbstractAsyncContextManager[None]:
        return self._never_up(state)

    @asynccontextmanager
    async def _never_up(self, state: ServiceState) -> AsyncIterator[None]:
        if state.features:  # always: the failure comes before the app serves
            raise RuntimeError("a dependency is missing")
        yield


def test_a_failed_startup_fails_the_init(function_settings: Settings) -> None:
    features = [*enabled_features(function_settings), FailingToStart()]

    with pytest.raises(LifespanFailure, match="a dependency is missing"):
        FunctionRuntime.start(function_settings, features)
