import json
import re

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from {{ cookiecutter.package_name }}.config import Environment, Settings
from {{ cookiecutter.package_name }}.context import Exchange
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.metrics import request_tally
from {{ cookiecutter.package_name }}.pipeline.rate_limit import RateLimit, caller_of
from {{ cookiecutter.package_name }}.pipeline.routes import UNMATCHED
from {{ cookiecutter.package_name }}.rate_limits.rules import Rules
from {{ cookiecutter.package_name }}.rate_limits.store import MemoryStore

from support.servers import running_service

# Windows of an hour: a test never straddles two.
LIMITS = {"GET /api/v1/items": "3/hour", "default": "5/hour"}
STATE = re.compile(r'^"(?P<name>[^"]+)";r=(?P<r>\d+);t=(?P<t>\d+)$')


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"rate_limits": LIMITS})


def remaining(response: httpx2.Response) -> int:
    match = STATE.match(response.headers["RateLimit"])
    assert match is not None, response.headers["RateLimit"]
    assert 0 < int(match["t"]) <= 3600
    return int(match["r"])


def test_a_route_allows_exactly_its_limit_then_answers_429(client: TestClient) -> None:
    answers = [client.get("/api/v1/items") for _ in range(5)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
    assert [remaining(a) for a in answers] == [2, 1, 0, 0, 0]
    refused = answers[3]
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["status"] == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert refused.headers["RateLimit-Policy"] == '"3/3600s";q=3;w=3600'
    assert "X-Request-ID" in refused.headers  # the stages before it still answer


def test_the_default_is_one_budget_for_every_other_request(client: TestClient) -> None:
    paths = ["/api/v1/health", "/api/v1/items/1", "/", "/api/v1/health", "/nowhere"]
    answers = [client.get(path) for path in paths]

    assert all(a.status_code != 429 for a in answers)
    assert [remaining(a) for a in answers] == [4, 3, 2, 1, 0]
    assert answers[0].headers["RateLimit-Policy"] == '"5/3600s";q=5;w=3600'
    assert client.get("/api/v1/health").status_code == 429
    # The route's own budget is untouched by the default's.
    assert remaining(client.get("/api/v1/items")) == 2


def refused_total(method: str, route: str) -> float:
    request_tally.flush()  # counted in memory until then
    labels = {"method": method, "route": route, "status": "429"}
    return REGISTRY.get_sample_value("http_requests_total", labels) or 0.0


def test_refused_requests_are_counted_under_their_route(client: TestClient) -> None:
    # The router never runs for a 429: its route is the rule's, or looked up for the default.
    refusals = [
        ("GET", "/api/v1/items", "/api/v1/items"),
        ("GET", "/api/v1/items/7", "/api/v1/items/{item_id}"),
        ("DELETE", "/api/v1/items/7", "/api/v1/items/{item_id}"),
        ("PUT", "/api/v1/health", "/api/v1/health"),  # no such method there: the router's 405
        ("GET", "/nowhere", UNMATCHED),
    ]
    for _ in range(5):  # the default's budget spent, and the route's
        client.get("/api/v1/items")
        client.get("/")
    before = {(method, route): refused_total(method, route) for method, _, route in refusals}

    for method, path, _ in refusals:
        assert client.request(method, path).status_code == 429

    for method, _, route in refusals:
        assert refused_total(method, route) == before[method, route] + 1, (method, route)


def test_probes_and_metrics_are_never_limited(client: TestClient) -> None:
    for _ in range(10):
        for path in ("/health/live", "/health/ready", "/metrics"):
            answer = client.get(path)
            assert answer.status_code != 429
            assert "RateLimit" not in answer.headers


def test_limits_off_leave_the_stage_out() -> None:
    app = create_app(Settings(environment=Environment.TEST))
    with TestClient(app) as client:
        answer = client.get("/api/v1/health")

    assert "RateLimit" not in answer.headers
    assert not any(isinstance(s, RateLimit) for s in stages_of(app))


def stages_of(app: FastAPI) -> list[object]:
    found: list[object] = []
    for middleware in app.user_middleware:
        stages = middleware.kwargs.get("stages")
        if isinstance(stages, list):
            found += stages
    return found


def test_the_caller_is_the_authenticated_subject_else_the_address() -> None:
    exchange = Exchange({"type": "http", "client": ("203.0.113.9", 5000)})
    assert caller_of(exchange) == "address:203.0.113.9"

    exchange.caller = "service-a"
    assert caller_of(exchange) == "subject:service-a"
    assert caller_of(Exchange({"type": "http", "client": None})) == "address:unknown"


def test_callers_have_budgets_of_their_own() -> None:
    stage = RateLimit(Rules({"default": "1/hour"}), MemoryStore())
    first, second = (
        Exchange({"type": "http", "method": "GET", "path": "/", "client": (address, 1)})
        for address in ("203.0.113.1", "203.0.113.2")
    )

    assert stage.on_request(first) is None
    assert stage.on_request(second) is None
    refused = stage.on_request(first)
    assert refused is not None
    assert getattr(refused, "status_code", None) == 429


def test_limited_routes_document_their_429(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    limited = paths["/api/v1/items"]["get"]["responses"]["429"]
    assert limited["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }
    assert set(limited["headers"]) == {"Retry-After", "RateLimit", "RateLimit-Policy"}


def test_only_the_limited_routes_document_a_429() -> None:
    settings = Settings(environment=Environment.TEST, rate_limits={"GET /api/v1/items": "1/second"})
    with TestClient(create_app(settings)) as client:
        paths = client.get("/openapi.json").json()["paths"]

    assert "429" in paths["/api/v1/items"]["get"]["responses"]
    assert "429" not in paths["/api/v1/items"]["post"]["responses"]
    assert "429" not in paths["/api/v1/health"]["get"]["responses"]


@pytest.mark.parametrize(("trusted", "budgets"), [("127.0.0.1", 2), ("192.0.2.1", 1)])
def test_x_forwarded_for_counts_only_from_a_trusted_proxy(trusted: str, budgets: int) -> None:
    """Two clients behind the proxy (the test, on loopback): two budgets when it is trusted,
    one (the proxy's own) when the header comes from a peer not in FORWARDED_ALLOW_IPS."""
    environment = {
        "RATE_LIMITS": json.dumps({"default": "1/hour"}),
        "FORWARDED_ALLOW_IPS": trusted,
        "ACCESS_LOG": "false",
    }
    with running_service(environment) as service:
        statuses = [
            httpx2.get(f"{service.url}/", headers={"X-Forwarded-For": client}).status_code
            for client in ("198.51.100.1", "198.51.100.2")
        ]

    assert statuses.count(200) == budgets
