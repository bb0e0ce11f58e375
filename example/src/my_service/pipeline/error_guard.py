"""The last line of defence: an unhandled exception becomes a problem+json 500 that reveals
nothing of the exception, while its traceback goes to the log with the request id.

Being a stage, its 500 still passes the request id, timing, metrics and security stages, unlike
Starlette's outermost ``ServerErrorMiddleware``.
"""

from http import HTTPStatus

from loguru import logger
from starlette.responses import Response

from ..context import Exchange
from ..errors import problem_response
from .stage import Stage


class ErrorGuard(Stage):
    name = "error_guard"

    def on_error(self, exchange: Exchange, error: BaseException) -> Response | None:
        if not isinstance(error, Exception):
            return None  # cancellation and exits are not errors of the request
        logger.opt(exception=error).error(
            "Unhandled error in {} {}", exchange.method, exchange.path
        )
        return problem_response(exchange.path, HTTPStatus.INTERNAL_SERVER_ERROR)
