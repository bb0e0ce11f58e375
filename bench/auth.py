"""The auth scenario: the same route of a service rendered with ``auth=jwt``, answered without
credentials and with an RS256 bearer token, side by side on one server; and with the token
cache off, to show what the cache buys. The key pair and the token are made in the service's
own environment (it has PyJWT and cryptography; the benchmark's does not need them).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from .load import alternating
from .servers import Server

ANSWERS = ("auth=jwt",)
PATH = "/api/v1/health"
MATERIAL = """
import json, time
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
public = key.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
)
claims = {"sub": "bench", "scope": "items:write", "exp": int(time.time()) + 86400}
print(json.dumps({"public_pem": public.decode(), "token": jwt.encode(claims, key, "RS256")}))
"""


def signing_material(python: Path) -> tuple[str, str]:
    """A public key to configure and a token it verifies."""
    output = subprocess.run(
        [str(python), "-c", MATERIAL], capture_output=True, text=True, check=True
    ).stdout
    material = json.loads(output)
    return material["public_pem"], material["token"]


def auth_servers(
    python: Path, package: str, folder: Path, public_pem: str, production: dict[str, str]
) -> dict[str, Server]:
    folder.mkdir(exist_ok=True)
    service = [str(python), "-m", package]
    env = {**production, "WORKERS": "1", "ACCESS_LOG": "true", "AUTH_JWT_PUBLIC_KEY": public_pem}
    return {
        "auth": Server("service with auth=jwt", service, env, cwd=folder, log=folder / "a.log"),
        "auth_uncached": Server(
            "service with auth=jwt, token cache off",
            service,
            {**env, "AUTH_TOKEN_CACHE_SIZE": "0"},
            cwd=folder,
            log=folder / "b.log",
        ),
    }


def measure(pool: dict[str, Server], token: str, rounds: int, seconds: float) -> dict[str, Any]:
    """The three scenarios in alternating rounds; medians."""
    bearer = {"Authorization": f"Bearer {token}"}
    return alternating(
        {
            "anonymous": (pool["auth"].url + PATH, {}),
            "bearer": (pool["auth"].url + PATH, bearer),
            "bearer_uncached": (pool["auth_uncached"].url + PATH, bearer),
        },
        rounds,
        seconds,
        cpu={
            "anonymous": pool["auth"].cpu_seconds,
            "bearer": pool["auth"].cpu_seconds,
            "bearer_uncached": pool["auth_uncached"].cpu_seconds,
        },
    )
