"""Prometheus request metrics, labelled by route template (see routes.py), never the raw path."""

from ..context import Exchange
from ..metrics import in_progress_gauge, observe_request
from .stage import Stage

# Clients can send any token as a method; label only the standard ones to bound the series.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def method_label(exchange: Exchange) -> str:
    method = exchange.method
    return method if method in KNOWN_METHODS else "OTHER"


class RequestMetrics(Stage):
    name = "request_metrics"

    def on_request(self, exchange: Exchange) -> None:
        in_progress_gauge(method_label(exchange)).inc()

    def on_finish(self, exchange: Exchange) -> None:
        method = method_label(exchange)
        observe_request(method, exchange.route, exchange.status, exchange.duration)
        in_progress_gauge(method).dec()
