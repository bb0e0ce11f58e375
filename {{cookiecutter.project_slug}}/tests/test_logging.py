import logging
from io import StringIO

import pytest
from loguru import logger

from {{ cookiecutter.package_name }}.config import Environment, Settings
from {{ cookiecutter.package_name }}.context import request_id
from {{ cookiecutter.package_name }}.logging import configure_logging

from support import LogCapture


@pytest.fixture
def capture() -> LogCapture:
    capture = LogCapture()
    configure_logging(Settings(environment=Environment.PRODUCTION), capture.stream)
    return capture


def test_a_json_line_has_the_documented_shape(capture: LogCapture) -> None:
    token = request_id.set("req-42")
    try:
        logger.bind(order_id=7).warning("Order {} delayed", 7)
    finally:
        request_id.reset(token)

    [line] = capture.records
    assert line["level"] == "WARNING"
    assert line["message"] == "Order 7 delayed"
    assert line["logger"] == __name__
    assert line["request_id"] == "req-42"
    assert line["order_id"] == 7
    assert line["timestamp"].endswith("+00:00")


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
