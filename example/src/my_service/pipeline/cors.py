"""CORS for browsers on the origins in ``CORS_ORIGINS``: preflight requests are answered here,
and other responses (errors included) carry the headers that let the page read them.

The policy is Starlette's (``CORSMiddleware``: which origins, methods and headers pass), used as
a stage rather than as a layer of its own, so that preflights carry a request id and are logged
and counted like every other request, and a refused one is a problem+json 400.
"""

from collections.abc import Sequence
from http import HTTPStatus

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from ..context import Exchange
from ..errors import problem_response
from .stage import Headers as ResponseHeaders
from .stage import Stage


async def _no_app(scope: Scope, receive: Receive, send: Send) -> None:
    raise RuntimeError("the CORS stage never calls the app itself")


def request_origin(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"origin":
            origin: str = value.decode("latin-1")
            return origin
    return None


class Cors(Stage):
    name = "cors"

    def __init__(
        self, origins: Sequence[str], allow_credentials: bool, expose_headers: Sequence[str]
    ) -> None:
        self.policy = CORSMiddleware(
            _no_app,
            allow_origins=origins,
            allow_methods=["*"],
            allow_headers=["*"],
            allow_credentials=allow_credentials,
            expose_headers=expose_headers,
        )

    def on_request(self, exchange: Exchange) -> Response | None:
        if exchange.method != "OPTIONS":
            return None
        headers = Headers(scope=exchange.scope)
        if "origin" not in headers or "access-control-request-method" not in headers:
            return None
        answer = self.policy.preflight_response(request_headers=headers)
        if answer.status_code == HTTPStatus.OK:
            return answer
        cors_headers = {
            name: value
            for name, value in answer.headers.items()
            if name.startswith("access-control-") or name == "vary"
        }
        detail = bytes(answer.body).decode()  # "Disallowed CORS origin, method"
        return problem_response(exchange.path, HTTPStatus.BAD_REQUEST, detail, headers=cors_headers)

    def on_response_start(self, exchange: Exchange, headers: ResponseHeaders) -> None:
        # What CORSMiddleware adds to the responses it passes through.
        policy = self.policy
        response_headers = MutableHeaders(raw=headers)  # edits the list itself
        origin = request_origin(exchange.scope)
        if origin is not None:
            response_headers.update(policy.simple_headers)
            # The origin itself rather than "*": for a list of origins, and with credentials.
            if (
                policy.allow_credentials
                if policy.allow_all_origins
                else policy.is_allowed_origin(origin=origin)
            ):
                policy.allow_explicit_origin(response_headers, origin)  # with Vary: Origin
                return
        response_headers["Vary"] = ", ".join([*response_headers.getlist("Vary"), "Origin"])
