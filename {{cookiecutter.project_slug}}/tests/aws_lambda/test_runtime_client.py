"""The handler run by Lambda's own runtime interface client (``awslambdaric``), against a
Runtime API on a loopback socket: the function as AWS runs it, but for AWS."""

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.lambda_events import body_of, http_api_request
from support.lambda_runtime import RuntimeApi
from support.servers import serving_in_background

HANDLER = "{{ cookiecutter.package_name }}.aws_lambda.handler.handler"
SECONDS = 30


@pytest.fixture
def runtime_api() -> Iterator[RuntimeApi]:
    api = RuntimeApi()
    with serving_in_background(api.http):
        yield api


def test_the_runtime_client_runs_the_handler_until_lambda_stops_it(
    runtime_api: RuntimeApi, tmp_path: Path
) -> None:
    output = tmp_path / "function.log"
    environment = {
        **os.environ,
        "AWS_LAMBDA_RUNTIME_API": runtime_api.address,
        # As on Lambda's managed runtime for this Python (it polls in a thread there).
        "AWS_EXECUTION_ENV": f"AWS_Lambda_python{sys.version_info.major}.{sys.version_info.minor}",
        "ENVIRONMENT": "production",
    }
    with output.open("wb") as log:
        function = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "awslambdaric", HANDLER],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        first = runtime_api.invoke(http_api_request("GET", "/health/live"), SECONDS)
        second = runtime_api.invoke(http_api_request("GET", "/api/v1/items/0"), SECONDS)

        function.send_signal(signal.SIGTERM)
        runtime_api.release()
        assert function.wait(timeout=SECONDS) == 0
    finally:
        function.kill()
        function.wait()

    assert first.kind == "response", first
    assert first.body["statusCode"] == 200
    assert json.loads(body_of(first.body)) == {"status": "ok"}
    assert second.kind == "response", second
    assert second.body["statusCode"] in (404, 422)
    assert second.body["headers"]["content-type"] == "application/problem+json"
    lines = [json.loads(line) for line in output.read_text().splitlines() if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "access"]
    assert [line["aws_request_id"] for line in access] == [first.request_id, second.request_id]
    messages = [line["message"] for line in lines]
    assert sum(message.endswith(" started (production)") for message in messages) == 1
    assert messages[-1].endswith(" stopped"), messages[-3:]
