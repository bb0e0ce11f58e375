"""API keys, for other services: ``X-API-Key: <key id>.<secret>``, checked against the SHA-256
of each secret (the secrets themselves are never configured, stored or logged)."""
