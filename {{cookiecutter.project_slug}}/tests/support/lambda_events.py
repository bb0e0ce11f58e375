"""API Gateway events, as Lambda hands them to the function: recorded ones, and requests made
from them."""

import base64
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mangum.types import LambdaCognitoIdentity, LambdaMobileClientContext

EVENTS = Path(__file__).parents[1] / "aws_lambda" / "events"
FUNCTION = "{{ cookiecutter.project_slug }}"


def recorded(name: str) -> dict[str, Any]:
    """An event recorded from API Gateway (``tests/aws_lambda/events/<name>.json``)."""
    event: dict[str, Any] = json.loads((EVENTS / f"{name}.json").read_text("utf-8"))
    return event


def http_api_request(
    method: str,
    path: str,
    *,
    stage: str = "$default",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    query: str = "",
    base64_body: bool = False,
) -> dict[str, Any]:
    """An HTTP API (payload 2.0) event for this request; behind a named ``stage`` the client's
    path starts with it, as API Gateway sends it. The body goes base64-encoded if asked, as API
    Gateway sends what it does not take for text."""
    event = recorded("http_api_items")
    raw_path = path if stage == "$default" else f"/{stage}{path}"
    event["rawPath"] = event["requestContext"]["http"]["path"] = raw_path
    event["requestContext"]["http"]["method"] = method
    event["requestContext"]["stage"] = stage
    event["requestContext"]["requestId"] = new_gateway_id()
    event["rawQueryString"] = query
    event.pop("queryStringParameters", None)
    event["headers"] = {**event["headers"], **{k.lower(): v for k, v in (headers or {}).items()}}
    _set_body(event, body, base64_body=base64_body)
    return event


def rest_api_request(
    method: str,
    path: str,
    *,
    stage: str = "prod",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> dict[str, Any]:
    """A REST API (payload 1.0) event for this request, made from the recorded one: the stage is
    in the client's path (``requestContext.path``), not in the event's ``path``."""
    event = recorded("rest_api_openapi")
    event["httpMethod"] = event["requestContext"]["httpMethod"] = method
    event["path"] = path
    event["pathParameters"] = {"proxy": path.lstrip("/")}
    event["requestContext"]["path"] = f"/{stage}{path}"
    event["requestContext"]["stage"] = stage
    event["requestContext"]["requestId"] = str(uuid.uuid4())
    for name, value in (headers or {}).items():
        event["headers"][name] = value
        event["multiValueHeaders"][name] = [value]
    _set_body(event, body)
    return event


def _set_body(event: dict[str, Any], body: bytes | None, *, base64_body: bool = False) -> None:
    if body is None:
        event["body"], event["isBase64Encoded"] = None, False
    elif base64_body:
        event["body"], event["isBase64Encoded"] = base64.b64encode(body).decode(), True
    else:
        event["body"], event["isBase64Encoded"] = body.decode(), False


def new_gateway_id() -> str:
    """A request id as an HTTP API makes them (base64, with ``=``)."""
    return base64.b64encode(uuid.uuid4().bytes[:11]).decode()


def body_of(response: dict[str, Any]) -> bytes:
    """The response's body, decoded as API Gateway decodes it."""
    body: str = response["body"]
    return base64.b64decode(body) if response["isBase64Encoded"] else body.encode()


def headers_of(response: dict[str, Any]) -> dict[str, str]:
    headers: dict[str, str] = response["headers"]
    return headers


@dataclass
class LambdaContext:
    """The context Lambda passes with each invocation (the fields the service reads, and the
    rest of its shape)."""

    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_name: str = FUNCTION
    function_version: str = "$LATEST"
    invoked_function_arn: str = f"arn:aws:lambda:us-east-1:123456789012:function:{FUNCTION}"
    memory_limit_in_mb: int = 512
    log_group_name: str = "/aws/lambda/{{ cookiecutter.project_slug }}"
    log_stream_name: str = "2026/12/02/[$LATEST]0123456789abcdef"
    identity: LambdaCognitoIdentity | None = None
    client_context: LambdaMobileClientContext | None = None

    def get_remaining_time_in_millis(self) -> int:
        return 29_000
