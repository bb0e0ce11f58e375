"""Prometheus request metrics, labelled by route template (see routes.py), never the raw path.
Counted per process and flushed into the metrics about once a second (``metrics.RequestTally``)."""

from ..context import Exchange
from ..metrics import request_tally
from .stage import Stage

# Clients can send any token as a method; label only the standard ones to bound the series.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def method_label(exchange: Exchange) -> str:
    method = exchange.method
    return method if method in KNOWN_METHODS else "OTHER"


class RequestMetrics(Stage):
    name = "request_metrics"

    def on_request(self, exchange: Exchange) -> None:
        request_tally.started(method_label(exchange))

    def on_finish(self, exchange: Exchange) -> None:
        request_tally.finished(
            method_label(exchange), exchange.route, exchange.status, exchange.duration
        )
