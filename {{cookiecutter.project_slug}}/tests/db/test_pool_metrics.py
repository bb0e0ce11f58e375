from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY


def gauge(name: str) -> float:
    value = REGISTRY.get_sample_value(name)
    assert value is not None, f"{name} is not exported"
    return value


def test_the_pool_gauges_follow_the_connections(app: FastAPI) -> None:
    open_before = gauge("db_pool_connections_open")
    in_use_before = gauge("db_pool_connections_in_use")

    with TestClient(app) as client:
        assert client.get("/api/v1/items").status_code == 200
        scrape = client.get("/metrics").text

        assert gauge("db_pool_connections_open") == open_before + 1  # one kept for the next
        assert gauge("db_pool_connections_in_use") == in_use_before  # returned to the pool
        assert "db_pool_connections_open" in scrape

    assert gauge("db_pool_connections_open") == open_before  # closed at shutdown
