import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from my_service.pipeline.routes import UNMATCHED


def requests_total(method: str, route: str, status: str) -> float:
    labels = {"method": method, "route": route, "status": status}
    return REGISTRY.get_sample_value("http_requests_total", labels) or 0.0


def duration_count(method: str, route: str) -> float:
    labels = {"method": method, "route": route}
    return REGISTRY.get_sample_value("http_request_duration_seconds_count", labels) or 0.0


def test_requests_are_labelled_by_route_template(client: TestClient) -> None:
    client.post("/api/v1/items", json={"name": "Widget"})
    before = requests_total("GET", "/api/v1/items/{item_id}", "200")
    timed_before = duration_count("GET", "/api/v1/items/{item_id}")

    client.get("/api/v1/items/1")
    client.get("/api/v1/items/1")

    assert requests_total("GET", "/api/v1/items/{item_id}", "200") == before + 2
    assert duration_count("GET", "/api/v1/items/{item_id}") == timed_before + 2
    assert (
        REGISTRY.get_sample_value(
            "http_requests_total", {"method": "GET", "route": "/api/v1/items/1", "status": "200"}
        )
        is None
    )


def test_unmatched_paths_share_one_label(client: TestClient) -> None:
    before = requests_total("GET", UNMATCHED, "404")

    client.get("/wp-admin")
    client.get("/.env")

    assert requests_total("GET", UNMATCHED, "404") == before + 2


def test_errors_are_counted_with_their_status(client: TestClient) -> None:
    before = requests_total("GET", "/api/v1/items/{item_id}", "404")

    client.get("/api/v1/items/999")

    assert requests_total("GET", "/api/v1/items/{item_id}", "404") == before + 1


@pytest.mark.parametrize("method", ["PROPFIND", "BREW"])
def test_unknown_methods_share_one_label(client: TestClient, method: str) -> None:
    before = sum(requests_total("OTHER", route, "405") for route in ("/health/live",))

    client.request(method, "/health/live")

    assert requests_total("OTHER", "/health/live", "405") == before + 1
    assert REGISTRY.get_sample_value("http_requests_in_progress", {"method": method}) is None


def test_nothing_is_left_in_progress(client: TestClient) -> None:
    client.get("/health/live")

    assert REGISTRY.get_sample_value("http_requests_in_progress", {"method": "GET"}) == 0


def test_wrong_method_keeps_the_route_template(client: TestClient) -> None:
    before = requests_total("PUT", "/api/v1/items/{item_id}", "405")

    client.put("/api/v1/items/1")

    assert requests_total("PUT", "/api/v1/items/{item_id}", "405") == before + 1


def test_plain_routes_are_labelled_by_their_path(client: TestClient) -> None:
    before = requests_total("GET", "/docs", "200")

    client.get("/docs")

    assert requests_total("GET", "/docs", "200") == before + 1
