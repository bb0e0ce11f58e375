"""Spans that really arrive: each request's server span reaches an OTLP receiver on a socket,
named by its route, joined to the caller's trace and to the request's log lines."""

import time
import uuid
from typing import Literal

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from pydantic import HttpUrl, SecretStr

from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.context import trace_context
from {{ cookiecutter.package_name }}.logging import configure_logging
from {{ cookiecutter.package_name }}.telemetry.settings import TelemetrySettings

from support import LogCapture
from support.otlp import SERVER, OtlpReceiver, trace_of
from support.servers import free_port
from support.tracing import app_tracing_to

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"


def test_a_request_is_a_server_span_named_by_its_route(
    traced: TestClient, otlp_receiver: OtlpReceiver
) -> None:
    response = traced.get("/api/v1/items/7", headers={"X-Request-ID": "req-7"})
    trace_id, span_id = trace_of(response.headers["traceparent"])

    [span] = otlp_receiver.spans_of(trace_id, SERVER)
    assert span.name == "GET /api/v1/items/{item_id}"
    assert span.kind == SERVER
    assert span.span_id == span_id
    assert span.parent_span_id == ""
    assert span.attributes["http.route"] == "/api/v1/items/{item_id}"
    assert span.attributes["http.response.status_code"] == response.status_code
    assert span.attributes["request.id"] == "req-7"
    assert span.resource["service.name"] == "{{ cookiecutter.project_name }}"
    assert span.resource["deployment.environment.name"] == "test"


def test_an_incoming_traceparent_makes_the_span_its_child(
    traced: TestClient, otlp_receiver: OtlpReceiver
) -> None:
    response = traced.get(
        "/api/v1/health", headers={"traceparent": f"00-{CALLER_TRACE}-{CALLER_SPAN}-01"}
    )
    trace_id, _ = trace_of(response.headers["traceparent"])

    assert trace_id == CALLER_TRACE
    [span] = otlp_receiver.spans_of(CALLER_TRACE, SERVER)
    assert span.parent_span_id == CALLER_SPAN


def test_an_unsampled_request_answers_and_logs_its_trace_but_sends_no_span(
    traced: TestClient, otlp_receiver: OtlpReceiver, settings: Settings
) -> None:
    capture = LogCapture()
    configure_logging(settings.model_copy(update={"log_format": "json"}), capture.stream)
    caller_trace = uuid.uuid4().hex  # of this test alone: the receiver is the session's
    unsampled = f"00-{caller_trace}-{CALLER_SPAN}-00"  # the caller kept no trace

    response = traced.get("/api/v1/health", headers={"traceparent": unsampled})
    # A sampled request after it: once its span is here, the first one's would be too.
    sampled = traced.get("/api/v1/health")

    traceparent = response.headers["traceparent"]
    trace_id, span_id = trace_of(traceparent)
    assert trace_id == caller_trace
    assert traceparent.endswith("-00")  # not sampled, as the caller decided
    [access, _] = capture.by_logger("access")
    assert (access["trace_id"], access["span_id"]) == (trace_id, span_id)
    assert otlp_receiver.spans_of(trace_of(sampled.headers["traceparent"])[0], SERVER)
    assert otlp_receiver.spans_of(caller_trace, timeout=0) == []


def test_what_the_request_causes_elsewhere_carries_its_trace_context(
    otlp_receiver: OtlpReceiver,
) -> None:
    """Its events, say: the context the tracing stage leaves for them is the server span's."""
    app = app_tracing_to(TelemetrySettings(exporter_otlp_endpoint=HttpUrl(otlp_receiver.endpoint)))

    @app.get("/trace-context")
    async def passed_on() -> str | None:
        return trace_context.get()

    with TestClient(app) as client:
        response = client.get(
            "/trace-context", headers={"traceparent": f"00-{CALLER_TRACE}-{CALLER_SPAN}-01"}
        )

    assert response.json() == response.headers["traceparent"]
    assert trace_of(response.json())[0] == CALLER_TRACE


@pytest.mark.parametrize("traceparent", ["00-not-a-trace-01", f"00-{'0' * 32}-{CALLER_SPAN}-01"])
def test_a_malformed_traceparent_starts_a_trace_of_its_own(
    traced: TestClient, otlp_receiver: OtlpReceiver, traceparent: str
) -> None:
    response = traced.get("/api/v1/health", headers={"traceparent": traceparent})
    trace_id, _ = trace_of(response.headers["traceparent"])

    [span] = otlp_receiver.spans_of(trace_id, SERVER)
    assert span.parent_span_id == ""


def test_probes_and_metrics_are_not_traced(traced: TestClient) -> None:
    for path in ("/health/live", "/health/ready", "/metrics"):
        assert "traceparent" not in traced.get(path).headers


def test_log_lines_of_a_traced_request_carry_its_trace(
    traced: TestClient, settings: Settings
) -> None:
    capture = LogCapture()
    configure_logging(settings.model_copy(update={"log_format": "json"}), capture.stream)

    response = traced.get("/api/v1/health")

    trace_id, span_id = trace_of(response.headers["traceparent"])
    [access] = capture.by_logger("access")
    assert (access["trace_id"], access["span_id"]) == (trace_id, span_id)


def dropped(reason: str) -> float:
    return REGISTRY.get_sample_value("tracing_spans_dropped_total", {"reason": reason}) or 0.0


@pytest.mark.parametrize("protocol", ["http/protobuf", "grpc"])
def test_requests_are_unaffected_by_a_collector_that_is_away(
    protocol: Literal["http/protobuf", "grpc"],
) -> None:
    failed_before = dropped("export_failed")
    settings = TelemetrySettings(
        exporter_otlp_protocol=protocol,
        exporter_otlp_endpoint=HttpUrl(f"http://127.0.0.1:{free_port()}"),
        exporter_otlp_timeout=500,
        bsp_schedule_delay=50,
    )

    with TestClient(app_tracing_to(settings)) as client:
        started = time.perf_counter()
        statuses = {client.get("/api/v1/health").status_code for _ in range(20)}
        elapsed = time.perf_counter() - started

    assert statuses == {200}
    assert elapsed < 5  # no request waited for the collector
    assert dropped("export_failed") >= failed_before + 1


def test_spans_the_queue_has_no_room_for_are_counted() -> None:
    full_before = dropped("queue_full")
    settings = TelemetrySettings(
        exporter_otlp_endpoint=HttpUrl(f"http://127.0.0.1:{free_port()}"),
        exporter_otlp_timeout=2000,  # the export thread is stuck retrying meanwhile
        bsp_max_queue_size=2,
        bsp_schedule_delay=50,
    )

    with TestClient(app_tracing_to(settings)) as client:
        statuses = {client.get("/api/v1/health").status_code for _ in range(20)}

    assert statuses == {200}
    assert dropped("queue_full") >= full_before + 10


@pytest.mark.parametrize("protocol", ["http/protobuf", "grpc"])
def test_exports_carry_the_configured_headers(
    otlp_receiver: OtlpReceiver, protocol: Literal["http/protobuf", "grpc"]
) -> None:
    grpc = protocol == "grpc"
    settings = TelemetrySettings(
        exporter_otlp_protocol=protocol,
        exporter_otlp_endpoint=HttpUrl(
            otlp_receiver.grpc_endpoint if grpc else otlp_receiver.endpoint
        ),
        exporter_otlp_headers=SecretStr(f"x-api-key=key%20of%20{protocol}, x-team=core"),
        bsp_schedule_delay=50,
    )
    with TestClient(app_tracing_to(settings)) as client:
        response = client.get("/api/v1/health")
    otlp_receiver.spans_of(trace_of(response.headers["traceparent"])[0], SERVER)

    sent = [h for h in otlp_receiver.headers if h.get("x-api-key") == f"key of {protocol}"]
    assert sent
    assert sent[0]["x-team"] == "core"
