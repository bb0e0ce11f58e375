from typing import cast

from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from sqlalchemy import QueuePool

from my_service.db.feature import DatabaseFeature
from my_service.state import service_state

from support.waiting import eventually


def gauge(name: str) -> float:
    value = REGISTRY.get_sample_value(name)
    assert value is not None, f"{name} is not exported"
    return value


def test_the_pool_gauges_follow_the_connections(app: FastAPI) -> None:
    open_before = gauge("db_pool_connections_open")
    in_use_before = gauge("db_pool_connections_in_use")

    with TestClient(app) as client:
        engine = service_state(app).feature(DatabaseFeature).database.engine
        pool = cast(QueuePool, engine.sync_engine.pool)
        assert client.get("/api/v1/items").status_code == 200
        scrape = client.get("/metrics").text

        # Features may use the pool in the background too: the gauges follow it all.
        def held() -> bool:
            pooled = pool.checkedin() + pool.checkedout()
            return gauge("db_pool_connections_open") == open_before + pooled

        def in_use() -> bool:
            return gauge("db_pool_connections_in_use") == in_use_before + pool.checkedout()

        eventually(held)
        eventually(in_use)
        assert gauge("db_pool_connections_open") >= open_before + 1  # one kept for the next
        assert "db_pool_connections_open" in scrape

    assert gauge("db_pool_connections_open") == open_before  # closed at shutdown
    assert gauge("db_pool_connections_in_use") == in_use_before
