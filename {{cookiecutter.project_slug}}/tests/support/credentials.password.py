"""What a client sends to be allowed to change items: a bearer token with the ``items:write``
scope, signed with the key the test session configured the service to sign with."""

from .accounts import writer_headers

HEADERS: dict[str, str] = writer_headers()
