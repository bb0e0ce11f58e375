"""Bearer tokens for the tests: a key pair made for the session (``plugins/bearer.py``
configures the service with its public key), tokens signed with it, and an identity provider's
JWKS served over HTTP on a socket."""

import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = (
    KEY.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)
VARIABLES = ("AUTH_JWKS_URL", "AUTH_JWT_SECRET", "AUTH_ISSUER", "AUTH_AUDIENCE", "AUTH_ALGORITHMS")


def make_token(
    key: Any = KEY,
    algorithm: str = "RS256",
    headers: dict[str, Any] | None = None,
    **claims: Any,
) -> str:
    """A token for ``claims`` (a subject and an expiry an hour away unless given)."""
    now = int(time.time())
    claims = {"sub": "alice", "exp": now + 3600, **claims}
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, key, algorithm, headers)


def writer_headers() -> dict[str, str]:
    scopes = "items:write registry:write"
    token = make_token(sub="writer", scope=scopes, exp=int(time.time()) + 86_400)
    return {"Authorization": f"Bearer {token}"}


class JwksServer:
    """Serves ``keys`` as a JWK set at ``url``; counts the fetches; ``down()`` answers 503."""

    def __init__(self) -> None:
        self.keys: dict[str, Any] = {}  # key id -> private key
        self.fetches = 0
        self.available = True
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.fetches += 1
                body = json.dumps(server.document()).encode()
                self.send_response(200 if server.available else 503)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                """Quiet."""

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/.well-known/jwks.json"

    def document(self) -> dict[str, Any]:
        keys = []
        for key_id, key in self.keys.items():
            jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
            keys.append({**jwk, "kid": key_id, "use": "sig", "alg": "RS256"})
        return {"keys": keys}

    def down(self) -> None:
        self.available = False
