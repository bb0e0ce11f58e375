import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY, CollectorRegistry, Histogram

from my_service.metrics import DURATION_BUCKETS, request_tally
from my_service.pipeline.routes import UNMATCHED


def requests_total(method: str, route: str, status: str) -> float:
    request_tally.flush()  # counted in memory until then
    labels = {"method": method, "route": route, "status": status}
    return REGISTRY.get_sample_value("http_requests_total", labels) or 0.0


def duration_count(method: str, route: str) -> float:
    request_tally.flush()
    labels = {"method": method, "route": route}
    return REGISTRY.get_sample_value("http_request_duration_seconds_count", labels) or 0.0


def test_requests_are_counted_in_memory_until_flushed(client: TestClient) -> None:
    before = requests_total("GET", "/health/live", "200")

    client.get("/health/live")

    labels = {"method": "GET", "route": "/health/live", "status": "200"}
    assert REGISTRY.get_sample_value("http_requests_total", labels) == before
    assert requests_total("GET", "/health/live", "200") == before + 1


def durations_of(registry: CollectorRegistry, name: str, route: str) -> dict[str, float]:
    """A histogram's count, sum and buckets for ``route``, by suffix and bound."""
    return {
        sample.name.removeprefix(name) + sample.labels.get("le", ""): sample.value
        for family in registry.collect()
        for sample in family.samples
        if sample.name.startswith(name)
        and sample.labels.get("route") == route
        and not sample.name.endswith("_created")
    }


def test_flushed_durations_are_what_observing_each_gives() -> None:
    # On bucket bounds, between them, beyond the last, and zero.
    durations = [0.0, 0.005, 0.0051, 0.3, 0.3, 2.5, 9.9, 10.0, 42.0]
    registry = CollectorRegistry()
    expected = Histogram(
        "durations", "", ["method", "route"], buckets=DURATION_BUCKETS, registry=registry
    )
    for seconds in durations:
        request_tally.started("GET")
        request_tally.finished("GET", "/tally-check", 200, seconds)
        expected.labels("GET", "/tally-check").observe(seconds)

    request_tally.flush()

    flushed = durations_of(REGISTRY, "http_request_duration_seconds", "/tally-check")
    assert flushed == durations_of(registry, "durations", "/tally-check")
    assert flushed["_count"] == len(durations)


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
    request_tally.flush()

    assert REGISTRY.get_sample_value("http_requests_in_progress", {"method": "GET"}) == 0


def test_wrong_method_keeps_the_route_template(client: TestClient) -> None:
    before = requests_total("PUT", "/api/v1/items/{item_id}", "405")

    client.put("/api/v1/items/1")

    assert requests_total("PUT", "/api/v1/items/{item_id}", "405") == before + 1


def test_plain_routes_are_labelled_by_their_path(client: TestClient) -> None:
    before = requests_total("GET", "/docs", "200")

    client.get("/docs")

    assert requests_total("GET", "/docs", "200") == before + 1
