"""Only the host names in ``ALLOWED_HOSTS`` are served (a request for another gets a 400
problem+json), so links built from the Host header cannot point elsewhere.

Patterns are exact names (``api.example.com``) or a leading wildcard (``*.example.com``, which
also matches ``example.com``). The probes under ``/health/`` answer whatever the Host: a
kubelet sends the pod's IP.
"""

from http import HTTPStatus

from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import problem_response

PROBES = "/health/"


def host_name(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"host":
            host: str = value.decode("latin-1").lower()
            return host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return ""


class TrustedHostMiddleware:
    def __init__(self, app: ASGIApp, allowed_hosts: list[str]) -> None:
        self.app = app
        patterns = [pattern.lower() for pattern in allowed_hosts]
        wildcards = [p[2:] for p in patterns if p.startswith("*.")]  # "example.com"
        # Exact names, including the domains of the wildcards; then the wildcards' suffixes.
        self.names = frozenset(p for p in patterns if not p.startswith("*.")) | set(wildcards)
        self.suffixes = tuple(f".{domain}" for domain in wildcards)

    def allows(self, host: str) -> bool:
        return host in self.names or host.endswith(self.suffixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or scope["path"].startswith(PROBES):
            await self.app(scope, receive, send)
            return
        if self.allows(host_name(scope)):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        response = problem_response(scope["path"], HTTPStatus.BAD_REQUEST, "Invalid host header.")
        await response(scope, receive, send)
