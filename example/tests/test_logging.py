import json
import logging
from io import StringIO

import pytest
from fastapi.testclient import TestClient
from loguru import logger
from pydantic import SecretStr

from my_service.config import Environment, LogFormat, Settings
from my_service.context import Exchange, current
from my_service.logging import (
    access_fields,
    access_json_line,
    configure_logging,
)
from my_service.main import create_app

from support import LogCapture


@pytest.fixture
def capture() -> LogCapture:
    capture = LogCapture()
    configure_logging(Settings(environment=Environment.PRODUCTION), capture.stream)
    return capture


def test_a_json_line_has_the_documented_shape(capture: LogCapture) -> None:
    exchange = Exchange({"type": "http", "method": "GET", "path": "/", "headers": []})
    exchange.request_id = "req-42"
    token = current.set(exchange)
    try:
        logger.bind(order_id=7).warning("Order {} delayed", 7)
    finally:
        current.reset(token)

    [line] = capture.records
    assert line["level"] == "WARNING"
    assert line["message"] == "Order 7 delayed"
    assert line["logger"] == __name__
    assert line["request_id"] == "req-42"
    assert line["order_id"] == 7
    assert line["timestamp"].endswith("+00:00")


def test_a_line_outside_a_request_has_no_request_id(capture: LogCapture) -> None:
    logger.info("Started")

    [line] = capture.records
    assert "request_id" not in line


def test_a_text_line_outside_a_request_shows_a_dash_for_its_request_id() -> None:
    stream = StringIO()
    configure_logging(Settings(environment=Environment.DEVELOPMENT), stream)

    logger.info("Started")

    assert " | - | Started" in stream.getvalue()
    assert "None" not in stream.getvalue()


def test_an_exception_is_its_own_field(capture: LogCapture) -> None:
    try:
        raise ValueError("bad input")
    except ValueError:
        logger.exception("Failed")

    [line] = capture.records
    assert line["message"] == "Failed"
    assert line["exception"].startswith("Traceback")
    assert "ValueError: bad input" in line["exception"]


def test_standard_logging_is_routed_with_its_logger_name(capture: LogCapture) -> None:
    logging.getLogger("some.library").warning("careful: %s", "thin ice")

    [line] = capture.records
    assert line["logger"] == "some.library"
    assert line["message"] == "careful: thin ice"


def test_records_below_the_level_are_dropped(capture: LogCapture) -> None:
    logger.debug("noise")
    logging.getLogger("some.library").debug("noise")

    assert capture.records == []


def test_server_access_logs_are_off(capture: LogCapture) -> None:
    logging.getLogger("uvicorn.access").info("GET / 200")

    assert capture.records == []


def test_development_logs_are_readable_text() -> None:
    stream = StringIO()
    configure_logging(Settings(environment=Environment.DEVELOPMENT), stream)

    logger.info("hello")

    assert stream.getvalue().rstrip().endswith("| hello")
    assert not stream.getvalue().startswith("{")


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_no_secret_reaches_a_log_line(log_format: LogFormat) -> None:
    secret = "s3cret-value"  # noqa: S105 (a test value)
    settings = Settings(
        environment=Environment.TEST, api_token=SecretStr(secret), log_format=log_format
    )
    stream = StringIO()
    app = create_app(settings)

    @app.get("/fails")
    async def fails() -> None:
        token = SecretStr(secret).get_secret_value()  # a local the traceback holds
        raise RuntimeError(f"failed with a token of {len(token)} characters")

    with TestClient(app, raise_server_exceptions=False) as client:
        configure_logging(settings, stream)
        logger.info("settings: {}", settings)
        assert client.get("/fails").status_code == 500
        assert client.get("/api/v1/health").status_code == 200

    assert "failed with a token" in stream.getvalue()  # the traceback was logged
    assert secret not in stream.getvalue()


def exchange(method: str, route: str, status: int, client: tuple[str, int] | None) -> Exchange:
    """A finished request, as the pipeline leaves it for the access log."""
    scope = {"type": "http", "method": method, "path": route, "client": client}
    finished = Exchange(scope)
    finished.request_id = "req-1"
    finished._route = route  # as the router would have matched it
    finished.status = status
    finished.finished = finished.started + 0.0123456
    return finished


@pytest.mark.parametrize(
    ("method", "route", "status", "client"),
    [
        ("GET", "/api/v1/items/{item_id}", 200, ("127.0.0.1", 50000)),
        ("BREW", '/a "quoted" route\\ with ünïcode', 418, None),
        ("POST", "<unmatched>", 500, ("::1", 1)),
    ],
)
def test_the_json_access_line_holds_the_access_fields(
    method: str, route: str, status: int, client: tuple[str, int] | None
) -> None:
    finished = exchange(method, route, status, client)
    stamp = "2026-01-02T03:04:05.678+00:00"

    assert json.loads(access_json_line(finished, stamp)) == access_fields(finished, stamp)
    assert access_json_line(finished, stamp).endswith("}\n")


def test_the_json_access_line_holds_what_features_add() -> None:
    finished = exchange("GET", "/api/v1/health", 200, ("127.0.0.1", 1))
    finished.add_log_field("subject", 'user "1"')
    finished.add_log_field("trace_id", "0af7651916cd43dd8448eb211c80319c")
    stamp = "2026-01-02T03:04:05.678+00:00"

    line = json.loads(access_json_line(finished, stamp))

    assert line == access_fields(finished, stamp)
    assert line["subject"] == 'user "1"'
