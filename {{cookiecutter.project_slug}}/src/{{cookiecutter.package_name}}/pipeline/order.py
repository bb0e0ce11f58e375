"""The order of the pipeline's stages, outermost first: the only place it is written down.

A stage names its place here (``Stage.name``). Places of features that are not enabled stay
empty. A request passes the stages in this order, then FastAPI's exception handlers and the
router; the response passes them back in reverse.
"""

ORDER: tuple[str, ...] = (
    "request_id",  # X-Request-ID, first so that every log line and answer carries it
    "invocation",  # on AWS Lambda: API Gateway's request id, Lambda's in the logs
    "access_log",  # one line per request, after the response
    "server_timing",  # Server-Timing on the response
    "request_metrics",  # Prometheus request counters and durations
    "security_headers",  # nosniff, no framing, HSTS
    "cors",  # CORS_ORIGINS: preflights answered, headers on every answer, errors included
    "trusted_hosts",  # ALLOWED_HOSTS (400 for others)
    "auth",  # credentials, when a feature provides them
    "rate_limit",  # RATE_LIMITS (429), per caller: after auth, which tells who calls
    "tracing",  # a server span per request, when a feature provides it
    "deprecation",  # Deprecation and Sunset on a deprecated API version
    "timeout",  # REQUEST_TIMEOUT (504)
    "error_guard",  # an unhandled exception becomes a bare 500
    "body_limit",  # MAX_BODY_SIZE (413), innermost: it wraps what the app reads
)
