"""API keys for the tests: a writer's key, a reader's key and a revoked key
(``plugins/api_keys.py`` configures the service with them)."""

import hashlib
import json
import secrets
from typing import Any

SECRETS = {name: secrets.token_urlsafe(32) for name in ("writer", "reader", "retired")}
KEYS: dict[str, dict[str, Any]] = {
    "writer": {"scopes": ["items:write", "registry:write"]},
    "reader": {"scopes": []},
    "retired": {"scopes": ["items:write"], "revoked": True},
}


def api_key(key_id: str) -> str:
    return f"{key_id}.{SECRETS[key_id]}"


def configuration() -> str:
    """``AUTH_API_KEYS`` for the session's keys: their hashes, never their secrets."""
    return json.dumps(
        {
            key_id: {**entry, "hash": hashlib.sha256(SECRETS[key_id].encode()).hexdigest()}
            for key_id, entry in KEYS.items()
        }
    )


def writer_headers() -> dict[str, str]:
    return {"X-API-Key": api_key("writer")}
