"""Database queries join the trace: each statement a request runs is a client span, child of the
request's span, named by its operation, with the SQL but never its parameters."""

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from {{ cookiecutter.package_name }}.db.session import SessionDep

from support.credentials import HEADERS
from support.otlp import CLIENT, ERROR, SERVER, OtlpReceiver, trace_of


def test_the_queries_of_a_request_are_its_children(
    traced: TestClient, otlp_receiver: OtlpReceiver
) -> None:
    created = traced.post("/api/v1/items", json={"name": "private name"}, headers=HEADERS)

    assert created.status_code == 201
    trace_id, server_span_id = trace_of(created.headers["traceparent"])
    otlp_receiver.spans_of(trace_id, SERVER)
    queries = otlp_receiver.spans_of(trace_id, CLIENT)
    # The item's own (other features may write in the same transaction: events, say).
    items = "INSERT INTO items"
    [insert] = [span for span in queries if span.attributes["db.query.text"].startswith(items)]
    assert insert.name == "INSERT"
    assert insert.parent_span_id == server_span_id
    assert insert.attributes["db.system.name"] in {"sqlite", "postgresql"}
    assert all("private name" not in str(span.attributes) for span in queries)
    assert all(span.status != ERROR for span in queries)


def test_the_readiness_probe_runs_untraced_queries(
    traced: TestClient, otlp_receiver: OtlpReceiver
) -> None:
    assert traced.get("/health/ready").status_code == 200
    response = traced.get("/api/v1/items", headers=HEADERS)  # a trace that arrives after it

    otlp_receiver.spans_of(trace_of(response.headers["traceparent"])[0], SERVER)
    assert not [
        span for span in otlp_receiver.spans if span.attributes.get("db.query.text") == "SELECT 1"
    ]


def test_a_query_that_fails_marks_its_span(traced: TestClient, otlp_receiver: OtlpReceiver) -> None:
    app = traced.app
    assert isinstance(app, FastAPI)

    async def bad_query(session: SessionDep) -> None:
        await session.execute(text("SELECT name FROM no_such_table"))

    app.add_api_route("/bad-query", bad_query)

    response = traced.get("/bad-query")

    trace_id, _ = trace_of(response.headers["traceparent"])
    otlp_receiver.spans_of(trace_id, SERVER)
    [query] = otlp_receiver.spans_of(trace_id, CLIENT)
    assert query.status == ERROR
    assert query.attributes["error.type"]
