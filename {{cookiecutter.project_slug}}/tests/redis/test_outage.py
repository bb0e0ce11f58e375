"""Redis cut between the service and its server (a proxy the test stops): the limits let
requests through, log it once and count them; once it is back, they limit again."""

import json

import httpx2

from support.proxy import TcpProxy
from support.redis import URL
from support.servers import running_service
from support.waiting import eventually

HEALTH = "/api/v1/health"
LIMITS = json.dumps({f"GET {HEALTH}": "2/hour"})


def metric(url: str, name: str) -> float:
    lines = httpx2.get(f"{url}/metrics").text.splitlines()
    return sum(float(line.rsplit(" ", 1)[1]) for line in lines if line.startswith(name))


def test_redis_away_fails_open_and_counts_then_limits_again() -> None:
    host, port = httpx2.URL(URL).host, httpx2.URL(URL).port or 6379
    proxy = TcpProxy((host, port))
    proxy.start()
    environment = {
        "REDIS_URL": f"redis://127.0.0.1:{proxy.port}/0",
        "REDIS_TIMEOUT": "0.2",
        "RATE_LIMITS": LIMITS,
        "FORWARDED_ALLOW_IPS": "127.0.0.1",  # each test caller says who it is
    }
    try:
        with running_service(environment) as service:

            def status(caller: str) -> int:
                headers = {"X-Forwarded-For": caller}
                return httpx2.get(service.url + HEALTH, headers=headers).status_code

            assert [status("198.51.100.1") for _ in range(3)] == [200, 200, 429]

            proxy.stop()
            assert [status("198.51.100.2") for _ in range(4)] == [200] * 4
            assert metric(service.url, 'rate_limit_unchecked_total{outcome="let_through"') >= 1
            assert metric(service.url, 'redis_outages_total{use="rate_limits"}') == 1
            assert httpx2.get(f"{service.url}/health/live").status_code == 200
            assert httpx2.get(f"{service.url}/health/ready").status_code == 503

            proxy.start()
            eventually(lambda: status("198.51.100.3") == 429)
    finally:
        proxy.stop()


def test_fail_closed_answers_503_while_redis_is_away() -> None:
    environment = {
        "REDIS_URL": "redis://127.0.0.1:9/0",
        "REDIS_TIMEOUT": "0.2",
        "RATE_LIMITS": LIMITS,
        "RATE_LIMIT_FAIL_CLOSED": "true",
    }
    with running_service(environment) as service:
        answer = httpx2.get(service.url + HEALTH)

    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
