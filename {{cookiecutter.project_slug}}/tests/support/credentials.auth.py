"""What a client sends to be allowed to change items: credentials with the ``items:write`` scope
that the test session configured the service to accept (a bearer token where bearer tokens are
enabled, an API key otherwise)."""

try:
    from .bearer import writer_headers
except ImportError:  # API keys only
    from .api_keys import writer_headers

HEADERS: dict[str, str] = writer_headers()
