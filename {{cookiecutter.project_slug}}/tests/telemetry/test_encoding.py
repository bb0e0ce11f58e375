"""The hand-written OTLP encoding reads back, field by field, with OpenTelemetry's own protobuf
classes: every kind of attribute value, a parent, a trace state and a failed status."""

from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue

from {{ cookiecutter.package_name }}.telemetry import encoding
from {{ cookiecutter.package_name }}.telemetry.spans import Finished

ATTRIBUTES: dict[str, Any] = {
    "text": "héllo",
    "yes": True,
    "no": False,
    "count": 200,
    "negative": -3,
    "ratio": 0.25,
    "raw": b"\x00\xff",
    "list": ["a", 1],
    "empty": "",
}


def values(attributes: Any) -> dict[str, Any]:
    return {attribute.key: value(attribute.value) for attribute in attributes}


def value(read: AnyValue) -> Any:
    kind = read.WhichOneof("value")
    if kind == "array_value":
        return [value(item) for item in read.array_value.values]
    return getattr(read, kind or "string_value")


def decoded(*spans: Finished) -> Any:
    resource = encoding.resource({"service.name": "svc", "process.pid": 42})
    body = encoding.export_request(resource, "scope.name", map(encoding.span, spans))
    return ExportTraceServiceRequest.FromString(body)


def test_a_span_reads_back_whole() -> None:
    span = Finished(
        trace_id=0x4BF92F3577B34DA6A3CE929D0E0E4736,
        span_id=0x00F067AA0BA902B7,
        parent_span_id=0x1234,
        trace_state="vendor=value",
        name="GET /api/v1/items/{item_id}",
        kind=2,
        start_ns=1_700_000_000_000_000_000,
        end_ns=1_700_000_000_000_500_000,
        attributes=ATTRIBUTES,
        error=True,
    )

    [resource_spans] = decoded(span).resource_spans
    [scope_spans] = resource_spans.scope_spans
    [read] = scope_spans.spans

    assert values(resource_spans.resource.attributes) == {"service.name": "svc", "process.pid": 42}
    assert scope_spans.scope.name == "scope.name"
    assert read.trace_id.hex() == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert read.span_id.hex() == "00f067aa0ba902b7"
    assert read.parent_span_id.hex() == "0000000000001234"
    assert read.trace_state == "vendor=value"
    assert (read.name, read.kind) == ("GET /api/v1/items/{item_id}", 2)
    assert (read.start_time_unix_nano, read.end_time_unix_nano) == (span.start_ns, span.end_ns)
    assert read.status.code == 2  # error
    assert values(read.attributes) == ATTRIBUTES
    assert all(isinstance(attribute, KeyValue) for attribute in read.attributes)


def test_a_root_span_that_succeeded_has_no_parent_and_no_status() -> None:
    span = Finished(1, 2, 0, "", "GET /", 2, 10, 20, {}, error=False)

    [read] = decoded(span).resource_spans[0].scope_spans[0].spans

    assert read.parent_span_id == b""
    assert read.trace_state == ""
    assert read.status.code == 0


def test_many_spans_share_one_request() -> None:
    spans = [Finished(1, n + 1, 0, "", f"span {n}", 3, 10, 20, {"n": n}, False) for n in range(600)]

    [read] = decoded(*spans).resource_spans[0].scope_spans

    assert [span.name for span in read.spans] == [f"span {n}" for n in range(600)]


def test_a_value_of_no_attribute_type_is_sent_as_its_text() -> None:
    """A handler may set anything on the request's span; the export must not fail on it."""
    odd: dict[str, Any] = {"odd": frozenset({7})}
    span = Finished(1, 2, 0, "", "GET /", 2, 10, 20, odd, error=False)

    [read] = decoded(span).resource_spans[0].scope_spans[0].spans

    assert values(read.attributes) == {"odd": "frozenset({7})"}
