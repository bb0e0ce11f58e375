"""Limits shared through Redis by the workers of a service (two, unless a feature keeps it to
one process) and by its replicas."""

import json
from contextlib import ExitStack

import httpx2

from support.servers import WORKER_COUNTS, running_service

HEALTH = "/api/v1/health"
ENVIRONMENT = {"RATE_LIMITS": json.dumps({f"GET {HEALTH}": "7/hour"}), "ACCESS_LOG": "false"}


def test_the_workers_share_one_budget() -> None:
    with running_service({**ENVIRONMENT, "WORKERS": str(max(WORKER_COUNTS))}) as service:
        statuses = [httpx2.get(service.url + HEALTH).status_code for _ in range(12)]

    assert statuses.count(200) == 7
    assert statuses[7:] == [429] * 5


def test_two_replicas_share_one_budget() -> None:
    with ExitStack() as stack:
        replicas = [stack.enter_context(running_service(ENVIRONMENT)) for _ in range(2)]
        statuses = [httpx2.get(replicas[n % 2].url + HEALTH).status_code for n in range(12)]

    assert statuses.count(200) == 7
