"""One access-log line per request, once its response is complete (``logging.AccessLog``)."""

from ..context import Exchange
from ..logging import AccessLog
from .stage import Stage


class AccessLogStage(Stage):
    name = "access_log"

    def __init__(self, log: AccessLog) -> None:
        self.log = log

    def on_finish(self, exchange: Exchange) -> None:
        self.log.write(exchange)
