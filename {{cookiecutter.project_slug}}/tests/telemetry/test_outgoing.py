"""Outgoing calls join the trace: an httpx2 call a request makes is a client span, child of the
request's span, and the peer receives a ``traceparent`` naming that client span."""

import uuid
from collections.abc import Iterator

import httpx2
import pytest
from fastapi import FastAPI, Response
from fastapi.testclient import TestClient

from support.otlp import CLIENT, ERROR, SERVER, OtlpReceiver, trace_of
from support.servers import free_port
from support.tracing import Peer


@pytest.fixture
def peer() -> Iterator[Peer]:
    peer = Peer()
    yield peer
    peer.close()


def calling(traced: TestClient, url: str) -> TestClient:
    """The service with a route that calls ``url`` and answers the peer's status (502 when the
    peer cannot be reached)."""
    app = traced.app
    assert isinstance(app, FastAPI)

    async def call_peer() -> Response:
        try:
            async with httpx2.AsyncClient() as client:
                answer = await client.get(url, params={"token": "secret"})
        except httpx2.ConnectError:
            return Response(status_code=502)
        return Response(status_code=answer.status_code)

    app.add_api_route("/call-peer", call_peer)
    return traced


def test_a_call_is_a_child_span_whose_context_the_peer_receives(
    traced: TestClient, otlp_receiver: OtlpReceiver, peer: Peer
) -> None:
    response = calling(traced, peer.url).get("/call-peer")

    assert response.status_code == 200
    trace_id, server_span_id = trace_of(response.headers["traceparent"])
    [server] = otlp_receiver.spans_of(trace_id, SERVER)
    [call] = otlp_receiver.spans_of(trace_id, CLIENT)
    assert call.parent_span_id == server.span_id == server_span_id
    assert trace_of(peer.received[0]["traceparent"]) == (trace_id, call.span_id)
    assert call.name == "GET"
    assert call.attributes["url.full"] == peer.url  # without the query: it may hold secrets
    assert call.attributes["http.response.status_code"] == 200
    assert call.status != ERROR


def test_a_call_of_an_unsampled_request_carries_its_trace_unsampled(
    traced: TestClient, otlp_receiver: OtlpReceiver, peer: Peer
) -> None:
    caller_trace = uuid.uuid4().hex  # of this test alone: the receiver is the session's

    response = calling(traced, peer.url).get(
        "/call-peer", headers={"traceparent": f"00-{caller_trace}-00f067aa0ba902b7-00"}
    )

    assert response.status_code == 200
    sent = peer.received[0]["traceparent"]
    assert trace_of(sent)[0] == caller_trace
    assert sent.endswith("-00")  # the peer is told the trace is not kept
    # A sampled request after it: once its spans are here, the first one's would be too.
    sampled = traced.get("/call-peer")
    assert otlp_receiver.spans_of(trace_of(sampled.headers["traceparent"])[0], SERVER)
    assert otlp_receiver.spans_of(caller_trace, timeout=0) == []


def test_a_call_that_fails_marks_its_span(traced: TestClient, otlp_receiver: OtlpReceiver) -> None:
    response = calling(traced, f"http://127.0.0.1:{free_port()}/peer").get("/call-peer")

    assert response.status_code == 502
    trace_id, _ = trace_of(response.headers["traceparent"])
    otlp_receiver.spans_of(trace_id, SERVER)
    [call] = otlp_receiver.spans_of(trace_id, CLIENT)
    assert call.status == ERROR
    assert call.attributes["error.type"] == "ConnectError"


def test_a_peer_answering_an_error_marks_the_span(
    traced: TestClient, otlp_receiver: OtlpReceiver
) -> None:
    failing = Peer(status=503)
    try:
        response = calling(traced, failing.url).get("/call-peer")
    finally:
        failing.close()

    trace_id, _ = trace_of(response.headers["traceparent"])
    otlp_receiver.spans_of(trace_id, SERVER)
    [call] = otlp_receiver.spans_of(trace_id, CLIENT)
    assert (call.status, call.attributes["error.type"]) == (ERROR, "503")


def test_calls_outside_a_request_are_not_traced(traced: TestClient, peer: Peer) -> None:
    with httpx2.Client() as client:
        client.get(peer.url)

    assert "traceparent" not in peer.received[0]
