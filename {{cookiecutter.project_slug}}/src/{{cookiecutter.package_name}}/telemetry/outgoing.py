"""Outgoing HTTP calls as client spans: a request an httpx2 client sends within a traced request
is a child span of the current one and carries that span's ``traceparent``, so the peer's spans
join the trace. httpx2 has no global hook, so its transports' send methods are wrapped, once per
process, as OpenTelemetry's own instrumentations do."""

from functools import cache
from typing import Any

import httpx2
from opentelemetry.trace import Span
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from .calls import client_span, failed, request_tracer

PROPAGATOR = TraceContextTextMapPropagator()


@cache  # once per process
def trace_outgoing_calls() -> None:
    """The ``Instrumentation`` of httpx2 clients, sync and async."""
    async_send = httpx2.AsyncHTTPTransport.handle_async_request
    send = httpx2.HTTPTransport.handle_request

    async def traced_async_send(
        transport: httpx2.AsyncHTTPTransport, request: httpx2.Request
    ) -> httpx2.Response:
        tracer = request_tracer()
        if tracer is None:
            return await async_send(transport, request)
        with client_span(tracer, request.method, _attributes(request)) as span:
            _propagate(request)
            return _recorded(span, await async_send(transport, request))

    def traced_send(transport: httpx2.HTTPTransport, request: httpx2.Request) -> httpx2.Response:
        tracer = request_tracer()
        if tracer is None:
            return send(transport, request)
        with client_span(tracer, request.method, _attributes(request)) as span:
            _propagate(request)
            return _recorded(span, send(transport, request))

    _replace(httpx2.AsyncHTTPTransport, "handle_async_request", traced_async_send)
    _replace(httpx2.HTTPTransport, "handle_request", traced_send)


def _replace(cls: type, name: str, method: object) -> None:
    setattr(cls, name, method)


def _attributes(request: httpx2.Request) -> dict[str, Any]:
    url = request.url
    return {
        "http.request.method": request.method,
        # Without credentials or the query, which may carry secrets.
        "url.full": str(url.copy_with(username=None, password=None, query=None)),
        "server.address": url.host,
        "server.port": url.port or (443 if url.scheme == "https" else 80),
    }


def _propagate(request: httpx2.Request) -> None:
    """The current span (the client span) as the peer's parent."""
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier)
    request.headers.update(carrier)


def _recorded(span: Span, response: httpx2.Response) -> httpx2.Response:
    span.set_attribute("http.response.status_code", response.status_code)
    if response.status_code >= 400:
        failed(span, str(response.status_code))
    return response
