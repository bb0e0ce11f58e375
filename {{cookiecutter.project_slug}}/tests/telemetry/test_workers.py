"""Spans from every worker of the real server, the last ones included: each worker builds its
exporter after the fork and flushes it when SIGTERM stops it."""

import httpx2
import pytest

from support.otlp import SERVER, OtlpReceiver, trace_of
from support.servers import WORKER_COUNTS, running_service


@pytest.mark.parametrize("protocol", ["http/protobuf", "grpc"])
@pytest.mark.parametrize("workers", WORKER_COUNTS)
def test_every_worker_delivers_its_spans_by_the_time_it_stops(
    otlp_receiver: OtlpReceiver, workers: int, protocol: str
) -> None:
    # Exports only at shutdown: what arrives was flushed on the way out.
    endpoint = otlp_receiver.grpc_endpoint if protocol == "grpc" else otlp_receiver.endpoint
    environment = {
        "WORKERS": str(workers),
        "OTEL_EXPORTER_OTLP_PROTOCOL": protocol,
        "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
        "OTEL_BSP_SCHEDULE_DELAY": "600000",
        "ACCESS_LOG": "false",
    }
    with running_service(environment) as service:
        traces = []
        for _ in range(40):
            with httpx2.Client() as client:  # a new connection each: both workers get some
                response = client.get(f"{service.url}/api/v1/health")
            traces.append(trace_of(response.headers["traceparent"])[0])

    spans = [otlp_receiver.spans_of(trace_id, SERVER, timeout=5) for trace_id in traces]
    assert all(len(found) == 1 for found in spans)
    workers_seen = {found[0].resource["process.pid"] for found in spans}
    assert len(workers_seen) == workers
