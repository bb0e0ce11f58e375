"""An OTLP receiver on sockets, standing in for the OpenTelemetry Collector: it takes trace
exports over HTTP and over gRPC, decodes them and keeps their spans."""

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import grpc
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import KeyValue

# Span kinds and the error status, as OTLP numbers them.
SERVER, CLIENT = 2, 3
ERROR = 2
GRPC_SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService"
# Sampled or not, and maybe with W3C's "random" flag.
TRACEPARENT = re.compile(r"00-([0-9a-f]{32})-([0-9a-f]{16})-0[0-3]")


def trace_of(traceparent: str) -> tuple[str, str]:
    """The trace id and span id a ``traceparent`` header names."""
    match = TRACEPARENT.fullmatch(traceparent)
    assert match is not None, traceparent
    return match.group(1), match.group(2)


@dataclass(frozen=True)
class ReceivedSpan:
    name: str
    kind: int
    trace_id: str
    span_id: str
    parent_span_id: str
    status: int
    attributes: dict[str, Any]
    resource: dict[str, Any]


def _values(attributes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for attribute in attributes:
        assert isinstance(attribute, KeyValue)
        value = attribute.value
        values[attribute.key] = getattr(value, value.WhichOneof("value") or "string_value")
    return values


class OtlpReceiver:
    """Listens at ``endpoint`` (OTLP/HTTP) and ``grpc_endpoint`` (OTLP/gRPC)."""

    def __init__(self) -> None:
        self.spans: list[ReceivedSpan] = []
        self.headers: list[dict[str, str]] = []  # of each export, or its gRPC metadata
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.headers.append({k.lower(): v for k, v in self.headers.items()})
                receiver.receive(ExportTraceServiceRequest.FromString(body))
                answer = ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                """Quiet."""

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.http.server_address[1]}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

        def export(
            request: ExportTraceServiceRequest, context: grpc.ServicerContext
        ) -> ExportTraceServiceResponse:
            receiver.headers.append({k: str(v) for k, v in context.invocation_metadata()})
            receiver.receive(request)
            return ExportTraceServiceResponse()

        self.grpc = grpc.server(ThreadPoolExecutor(max_workers=2))
        export_handler = grpc.unary_unary_rpc_method_handler(
            export,
            request_deserializer=ExportTraceServiceRequest.FromString,
            response_serializer=ExportTraceServiceResponse.SerializeToString,
        )
        self.grpc.add_generic_rpc_handlers(
            [grpc.method_handlers_generic_handler(GRPC_SERVICE, {"Export": export_handler})]
        )
        self.grpc_endpoint = f"http://127.0.0.1:{self.grpc.add_insecure_port('127.0.0.1:0')}"
        self.grpc.start()

    def receive(self, request: ExportTraceServiceRequest) -> None:
        with self._lock:
            for resource_spans in request.resource_spans:
                resource = _values(resource_spans.resource.attributes)
                for scope_spans in resource_spans.scope_spans:
                    for span in scope_spans.spans:
                        self.spans.append(
                            ReceivedSpan(
                                span.name,
                                span.kind,
                                span.trace_id.hex(),
                                span.span_id.hex(),
                                span.parent_span_id.hex(),
                                span.status.code,
                                _values(span.attributes),
                                resource,
                            )
                        )

    def spans_of(
        self, trace_id: str, kind: int | None = None, timeout: float = 10.0
    ) -> list[ReceivedSpan]:
        """The spans of one trace (of one kind), once at least one has arrived. A span ends
        after its children: once a request's server span is here, all of its trace is."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                found = [
                    span
                    for span in self.spans
                    if span.trace_id == trace_id and kind in (None, span.kind)
                ]
            if found:
                return found
            time.sleep(0.02)
        return []

    def close(self) -> None:
        self.grpc.stop(grace=None)
        self.http.shutdown()
        self.http.server_close()
