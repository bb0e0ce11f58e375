"""Sending an export request to the collector, over OTLP/HTTP or OTLP/gRPC.

Each send is bounded by the export timeout (``OTEL_EXPORTER_OTLP_TIMEOUT``), retries included:
a collector that is briefly away (refused, 429, 502, 503, 504; gRPC's UNAVAILABLE) is tried
again with backoff; what is not through by then is reported failed and counted as dropped.
Sends run on the export thread, never on a request's.
"""

import http.client
import time
from typing import Protocol
from urllib.parse import urlsplit

from .settings import TelemetrySettings

RETRIED_STATUSES = frozenset({429, 502, 503, 504})
FIRST_BACKOFF = 0.1  # seconds, doubled for each retry
GRPC_METHOD = "/opentelemetry.proto.collector.trace.v1.TraceService/Export"


class Transport(Protocol):
    def send(self, body: bytes) -> bool:
        """Whether the collector took ``body`` before the timeout."""

    def close(self) -> None: ...


class Attempt(Protocol):
    def __call__(self, seconds_left: float) -> bool | None:
        """True: taken; False: refused for good; None: worth another try."""


def with_retries(attempt: Attempt, timeout: float) -> bool:
    """Calls ``attempt`` (given the seconds left) until it succeeds, fails for good, or time is
    up."""
    deadline = time.monotonic() + timeout
    backoff = FIRST_BACKOFF
    while True:
        left = deadline - time.monotonic()
        outcome = attempt(left)
        if outcome is not None:
            return outcome
        if time.monotonic() + backoff >= deadline:
            return False
        time.sleep(backoff)
        backoff *= 2


class HttpTransport:
    """OTLP/HTTP with protobuf: one kept-alive connection, reopened when it breaks."""

    def __init__(self, endpoint: str, timeout: float, headers: dict[str, str]) -> None:
        url = urlsplit(endpoint)
        self.headers = {**headers, "content-type": "application/x-protobuf"}
        self.https = url.scheme == "https"
        self.address = (url.hostname or "127.0.0.1", url.port or (443 if self.https else 80))
        self.path = url.path or "/"
        self.timeout = timeout
        self.connection: http.client.HTTPConnection | None = None

    def send(self, body: bytes) -> bool:
        return with_retries(lambda left: self._post(body, left), self.timeout)

    def _post(self, body: bytes, seconds_left: float) -> bool | None:
        if self.connection is None:
            kind = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
            self.connection = kind(*self.address, timeout=max(seconds_left, 0.001))
        self.connection.timeout = max(seconds_left, 0.001)
        try:
            self.connection.request("POST", self.path, body, self.headers)
            response = self.connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            return None
        if 200 <= response.status < 300:
            return True
        return None if response.status in RETRIED_STATUSES else False

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class GrpcTransport:
    """OTLP/gRPC: the encoded request sent as is, on one channel."""

    def __init__(self, endpoint: str, timeout: float, headers: dict[str, str]) -> None:
        import grpc  # large: loaded only when chosen, after the fork

        url = urlsplit(endpoint)
        target = url.netloc or endpoint
        self.grpc = grpc
        self.channel: grpc.Channel = (
            grpc.secure_channel(target, grpc.ssl_channel_credentials())
            if url.scheme == "https"
            else grpc.insecure_channel(target)
        )
        # No serializers: the request is already protobuf bytes, and the answer is not read.
        self.export: grpc.UnaryUnaryMultiCallable[bytes, bytes] = self.channel.unary_unary(
            GRPC_METHOD
        )
        self.metadata = tuple(headers.items())
        self.timeout = timeout

    def send(self, body: bytes) -> bool:
        return with_retries(lambda left: self._call(body, left), self.timeout)

    def _call(self, body: bytes, seconds_left: float) -> bool | None:
        retried = {self.grpc.StatusCode.UNAVAILABLE, self.grpc.StatusCode.RESOURCE_EXHAUSTED}
        try:
            self.export(body, timeout=max(seconds_left, 0.001), metadata=self.metadata)
        except self.grpc.RpcError as error:
            code = getattr(error, "code", None)  # a failed call's status
            return None if callable(code) and code() in retried else False
        return True

    def close(self) -> None:
        self.channel.close()


def transport(settings: TelemetrySettings) -> Transport:
    timeout = settings.exporter_otlp_timeout / 1000
    kind = GrpcTransport if settings.exporter_otlp_protocol == "grpc" else HttpTransport
    return kind(settings.traces_endpoint, timeout, settings.headers)
