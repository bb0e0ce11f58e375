"""Logging through loguru: readable text in development, one JSON object per line elsewhere.

Records from the standard library's ``logging`` (uvicorn, gunicorn, httpx, ...) are routed into
loguru with their original caller. Every record carries the request id of the request it was
logged in. The servers' own access logs are switched off: the pipeline's ``access_log`` stage
writes one line per request through ``access_log`` instead, so nothing appears twice.
"""

import asyncio
import atexit
import contextlib
import functools
import logging
import select
import sys
import time
import traceback
from datetime import UTC, datetime
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

import orjson
from loguru import logger

from .config import Settings
from .context import current

if TYPE_CHECKING:
    from loguru import Message, Record

    from .context import Exchange

TEXT_FORMAT = (
    "<green>{time:YYYY-MM-DD HH:mm:ss.SSS}</green> | <level>{level: <8}</level> | "
    "<cyan>{extra[logger]}</cyan> | {extra[request]} | <level>{message}</level>"
)
# What a text line shows for the request id of a record logged outside any request.
NO_REQUEST = "-"
STD_LEVELS = {"TRACE": 5, "DEBUG": 10, "INFO": 20, "SUCCESS": 25, "WARNING": 30, "ERROR": 40}
# Fields of a JSON line that are not copied from the record's bound extras.
RESERVED = ("timestamp", "level", "message", "logger", "request", "request_id", "exception")
# Writes to a pipe up to this size are atomic: lines of several workers never interleave.
PIPE_BUF = select.PIPE_BUF
FLUSH_SECONDS = 0.2
# A JSON object's braces, for f-strings (doubled braces would read as a template's).
OPEN, CLOSE = "{", "}"


class InterceptHandler(logging.Handler):
    """Hands standard-library records to loguru, keeping the caller's module and line."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            level: str | int = logger.level(record.levelname).name
        except ValueError:
            level = record.levelno
        # Skip logging's own frames so loguru reports the code that called the std logger.
        frame: FrameType | None = logging.currentframe()
        depth = 2
        while frame is not None and frame.f_code.co_filename == logging.__file__:
            frame = frame.f_back
            depth += 1
        logger.opt(depth=depth, exception=record.exc_info).bind(logger=record.name).log(
            level, record.getMessage()
        )


def add_context(record: "Record") -> None:
    extra = record["extra"]
    extra.setdefault("logger", record["name"])
    exchange = current.get()
    if exchange is None:
        extra.setdefault("request_id", None)
        extra["request"] = extra["request_id"] or NO_REQUEST
        return
    extra.setdefault("request_id", exchange.request_id)
    extra["request"] = extra["request_id"] or NO_REQUEST
    if exchange.log_fields:
        for name, value in exchange.log_fields.items():
            extra.setdefault(name, value)


def json_line(record: "Record") -> str:
    """The JSON object for one record, newline-terminated."""
    extra = record["extra"]
    line: dict[str, Any] = {
        "timestamp": record["time"].astimezone(UTC).isoformat(timespec="milliseconds"),
        "level": record["level"].name,
        "message": record["message"],
        "logger": extra["logger"],
    }
    if extra["request_id"] is not None:  # outside a request, a line has none
        line["request_id"] = extra["request_id"]
    line.update((key, value) for key, value in extra.items() if key not in RESERVED)
    exception = record["exception"]
    if exception is not None and exception.type is not None:
        line["exception"] = "".join(
            traceback.format_exception(exception.type, exception.value, exception.traceback)
        )
    return orjson.dumps(line, default=str, option=orjson.OPT_APPEND_NEWLINE).decode()


class JsonSink:
    """Writes each record as one line with a single write, so lines from several threads or
    worker processes sharing the stream never interleave."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, message: "Message") -> None:
        self.stream.write(json_line(message.record))
        self.stream.flush()


class AccessLog:
    """The access log: one line per request, in the same format and stream as every other record.

    It is written directly rather than through loguru, because it is the one record of every
    request: a loguru record (frame inspection, patching, formatting) would cost more than the
    rest of the observability put together. The JSON line has the same shape as ``json_line``.

    Lines are buffered and written in chunks of whole lines of at most ``PIPE_BUF`` bytes (so
    that lines of worker processes sharing a pipe never interleave): when a chunk is full, every
    ``FLUSH_SECONDS`` (``flush_periodically``, run by the app), and at shutdown.
    """

    def __init__(self) -> None:
        self.stream: TextIO | None = None  # None: off
        self.as_json = True
        self._lines: list[str] = []
        self._size = 0
        self._second = -1
        self._second_text = ""

    def configure(self, stream: TextIO | None, *, as_json: bool) -> None:
        self.flush()  # what was logged so far goes where it was meant to
        self.stream, self.as_json = stream, as_json

    @property
    def enabled(self) -> bool:
        return self.stream is not None

    def write(self, exchange: "Exchange") -> None:
        if self.stream is None:
            return
        if self.as_json:
            line = access_json_line(exchange, self._timestamp())
        else:
            line = self._text(access_fields(exchange, ""))
        self._lines.append(line)
        self._size += len(line)
        if self._size >= PIPE_BUF:
            self.flush()

    def flush(self) -> None:
        """Write the buffered lines, in chunks of whole lines of at most PIPE_BUF bytes."""
        lines, self._lines, self._size = self._lines, [], 0
        if not lines or self.stream is None:
            return
        chunk: list[str] = []
        size = 0
        for line in lines:
            if chunk and size + len(line) > PIPE_BUF:
                self._write("".join(chunk))
                chunk, size = [], 0
            chunk.append(line)
            size += len(line)
        self._write("".join(chunk))

    async def flush_periodically(self) -> None:
        """Flush every FLUSH_SECONDS until cancelled, then once more."""
        try:
            while True:
                await asyncio.sleep(FLUSH_SECONDS)
                self.flush()
        finally:
            self.flush()

    def _write(self, text: str) -> None:
        if self.stream is not None:
            self.stream.write(text)
            self.stream.flush()

    @staticmethod
    def _text(fields: dict[str, Any]) -> str:
        stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]  # local, as loguru's
        return f"{stamp} | INFO     | access | {fields['request_id']} | {fields['message']}\n"

    def _timestamp(self) -> str:
        """ISO 8601 UTC with milliseconds; the part up to the second is formatted once a second."""
        now = time.time()
        second = int(now)
        if second != self._second:
            self._second = second
            self._second_text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        return f"{self._second_text}.{int((now - second) * 1000):03d}+00:00"


def access_json_line(exchange: "Exchange", timestamp: str) -> str:
    """``access_fields`` as a JSON line, assembled from parts made once per method, route and
    status: the one line of every request, so it is built without a dictionary."""
    duration_ms = "%.3f" % (exchange.duration * 1000)  # a float's own formatting costs more
    client = exchange.scope.get("client")
    head, tail = _access_json_parts(exchange.method, exchange.route, exchange.status)
    # Features' fields (the caller's subject, a trace id) come last, as in access_fields().
    extra = _json_fields(exchange.log_fields) if exchange.log_fields else ""
    return (
        f'{OPEN}"timestamp":"{timestamp}{head}{duration_ms}ms","logger":"access","request_id":'
        f"{_json(exchange.request_id)}{tail}{duration_ms},"
        f'"client":{_json_client(client[0], client[1]) if client else "null"}{extra}{CLOSE}\n'
    )


def _json_fields(fields: dict[str, str]) -> str:
    return "".join(f",{_json(name)}:{_json(value)}" for name, value in fields.items())


def _json(value: object) -> str:
    return orjson.dumps(value).decode()


def _json_client(host: str, port: int) -> str:
    return f'{_json_host(host)[:-1]}:{port}"'


@functools.lru_cache(maxsize=1024)
def _json_host(host: str) -> str:
    """A client's host as a JSON string: the same few addresses, again and again."""
    return _json(host)


# Bounded: routes are templates and statuses few, but a client may send any token as a method.
@functools.lru_cache(maxsize=1024)
def _access_json_parts(method: str, route: str, status: int) -> tuple[str, str]:
    """What a JSON access line holds around its duration and request id, for one method, route
    and status."""
    message = _json(f"{method} {route} {status} ")[:-1]  # the string left open for the duration
    head = f'","level":"INFO","message":{message}'
    tail = f',"method":{_json(method)},"route":{_json(route)},"status":{status},"duration_ms":'
    return head, tail


def access_fields(exchange: "Exchange", timestamp: str) -> dict[str, Any]:
    """The fields of a request's access line, for both formats: add a field here, once. The
    JSON line is exactly these; the text line shows the message and the request id."""
    method, route, status = exchange.method, exchange.route, exchange.status
    duration_ms = round(exchange.duration * 1000, 3)
    client = exchange.scope.get("client")
    fields = {
        "timestamp": timestamp,
        "level": "INFO",
        "message": f"{method} {route} {status} {exchange.duration * 1000:.3f}ms",
        "logger": "access",
        "request_id": exchange.request_id,
        "method": method,
        "route": route,
        "status": status,
        "duration_ms": duration_ms,
        "client": f"{client[0]}:{client[1]}" if client else None,
    }
    if exchange.log_fields:
        fields.update(exchange.log_fields)
    return fields


access_log = AccessLog()


@atexit.register
def _flush_at_exit() -> None:
    """Servers that run no lifespan still get the last lines, unless their stream is gone."""
    with contextlib.suppress(ValueError, OSError):  # closed, or its pipe has no reader
        access_log.flush()


def configure_logging(settings: Settings, stream: TextIO | None = None) -> None:
    """Send loguru, standard-library logging and the access log to ``stream`` (stdout by
    default)."""
    stream = stream or sys.stdout
    info_is_logged = STD_LEVELS.get(settings.log_level, logging.CRITICAL) <= logging.INFO
    access_log.configure(
        stream if settings.access_log and info_is_logged else None, as_json=settings.log_as_json
    )
    logger.remove()
    logger.configure(patcher=add_context)
    if settings.log_as_json:
        logger.add(JsonSink(stream).write, level=settings.log_level, format="{message}")
    else:
        # diagnose=False: tracebacks without the values of local variables, which may be secrets.
        logger.add(
            stream, level=settings.log_level, format=TEXT_FORMAT, colorize=None, diagnose=False
        )

    std_level = STD_LEVELS.get(settings.log_level, logging.CRITICAL)
    logging.basicConfig(handlers=[InterceptHandler()], level=std_level, force=True)
    for name in ("uvicorn", "uvicorn.error", "gunicorn", "gunicorn.error"):
        std_logger = logging.getLogger(name)
        std_logger.handlers = []
        std_logger.propagate = True
    for name in ("uvicorn.access", "gunicorn.access"):
        logging.getLogger(name).disabled = True
