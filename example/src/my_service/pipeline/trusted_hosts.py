"""Only the host names in ``ALLOWED_HOSTS`` are served (a request for another gets a 400
problem+json), so links built from the Host header cannot point elsewhere.

Patterns are exact names (``api.example.com``) or a leading wildcard (``*.example.com``, which
also matches ``example.com``). The probes under ``/health/`` answer whatever the Host: a
kubelet sends the pod's IP.
"""

from http import HTTPStatus

from starlette.responses import Response
from starlette.types import Scope

from ..context import Exchange
from ..errors import problem_response
from .stage import Stage

PROBES = "/health/"


def host_name(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"host":
            host: str = value.decode("latin-1").lower()
            return host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return ""


class TrustedHosts(Stage):
    name = "trusted_hosts"

    def __init__(self, allowed_hosts: list[str]) -> None:
        patterns = [pattern.lower() for pattern in allowed_hosts]
        wildcards = [p[2:] for p in patterns if p.startswith("*.")]  # "example.com"
        # Exact names, including the domains of the wildcards; then the wildcards' suffixes.
        self.names = frozenset(p for p in patterns if not p.startswith("*.")) | set(wildcards)
        self.suffixes = tuple(f".{domain}" for domain in wildcards)

    def allows(self, host: str) -> bool:
        return host in self.names or host.endswith(self.suffixes)

    def on_request(self, exchange: Exchange) -> Response | None:
        if exchange.path.startswith(PROBES) or self.allows(host_name(exchange.scope)):
            return None
        return problem_response(exchange.path, HTTPStatus.BAD_REQUEST, "Invalid host header.")
