"""Connection-pool gauges on ``/metrics``: connections open, in use, and the most there may be,
per process and summed over live workers in multiprocess mode. Kept up to date by the pool's own
events."""

from typing import Any

from prometheus_client import Gauge
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

OPEN = Gauge(
    "db_pool_connections_open",
    "Database connections held by the connection pools.",
    multiprocess_mode="livesum",
)
IN_USE = Gauge(
    "db_pool_connections_in_use",
    "Database connections checked out of the pools by requests.",
    multiprocess_mode="livesum",
)

LIMIT = Gauge(
    "db_pool_connections_limit",
    "The most connections the pools may hold (pool size plus overflow): in use near it is a wait.",
    multiprocess_mode="livesum",
)


def watch(engine: AsyncEngine) -> None:
    """Count ``engine``'s connections (also across ``dispose()``, which builds a new pool)."""
    target = engine.sync_engine
    event.listen(target, "connect", _opened)
    event.listen(target, "close", _closed)
    event.listen(target, "close_detached", _closed)
    event.listen(target, "checkout", _checked_out)
    event.listen(target, "checkin", _checked_in)


def _opened(*_: Any) -> None:
    OPEN.inc()


def _closed(*_: Any) -> None:
    OPEN.dec()


def _checked_out(*_: Any) -> None:
    IN_USE.inc()


def _checked_in(*_: Any) -> None:
    IN_USE.dec()
