"""What a client sends to be allowed to change items: nothing (the service has no
authentication)."""

HEADERS: dict[str, str] = {}
