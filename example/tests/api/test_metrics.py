from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from my_service import __version__


def test_metrics_are_served_in_prometheus_text_format(client: TestClient) -> None:
    client.get("/health/live")

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    families = {family.name: family for family in text_string_to_metric_families(response.text)}
    expected = {"http_requests", "http_request_duration_seconds", "http_requests_in_progress"}
    assert expected <= set(families)
    assert "process_resident_memory_bytes" in families
    info = [sample.labels for sample in families["app_info"].samples]
    assert {"version": __version__, "environment": "test"} in info


def test_metrics_are_not_in_the_api_document(client: TestClient) -> None:
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]
