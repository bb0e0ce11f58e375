"""What a client sends to be allowed to change items: an API key with the ``items:write``
scope, one of those the test session configured the service to accept."""

from .api_keys import writer_headers

HEADERS: dict[str, str] = writer_headers()
