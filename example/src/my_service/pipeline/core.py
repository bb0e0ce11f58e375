"""The service's own stages, built from its settings. Features add theirs (``Feature.stages``)."""

from ..config import Settings
from ..logging import access_log
from ..rate_limits.rules import Rules
from ..rate_limits.store import MemoryStore, RateLimitStore
from .access_log import AccessLogStage
from .body_limit import BodyLimit
from .cors import Cors
from .deprecation import Deprecation
from .error_guard import ErrorGuard
from .rate_limit import RateLimit
from .request_id import RequestId
from .request_metrics import RequestMetrics
from .security_headers import SecurityHeaders
from .server_timing import ServerTiming
from .stage import Stage
from .timeout import Timeout
from .trusted_hosts import TrustedHosts

# What a browser's script may read of an answer: the service's own fields, and those of the
# standards it follows (conditional requests, rate limits).
EXPOSED_HEADERS = (
    "X-Request-ID",
    "Server-Timing",
    "ETag",
    "RateLimit",
    "RateLimit-Policy",
    "Retry-After",
)


def core_stages(settings: Settings, rate_limit_store: RateLimitStore | None = None) -> list[Stage]:
    """Only what the settings switch on: a stage that would do nothing is left out. The rate
    limits count in ``rate_limit_store`` (a feature's shared one), else in this process."""
    stages: list[Stage] = [
        RequestId(),
        ServerTiming(),
        RequestMetrics(),
        SecurityHeaders(hsts=settings.is_production),
        Timeout(settings.request_timeout),
        ErrorGuard(),
        BodyLimit(settings.max_body_size),
    ]
    if access_log.enabled:
        stages.append(AccessLogStage(access_log))
    if settings.cors_origins:
        stages.append(Cors(settings.cors_origins, settings.cors_allow_credentials, EXPOSED_HEADERS))
    if settings.allowed_hosts:
        stages.append(TrustedHosts(settings.allowed_hosts))
    if settings.api_deprecations:
        prefixes = {f"/api/{v}": d for v, d in settings.api_deprecations.items()}
        stages.append(Deprecation(prefixes))
    if settings.rate_limits:
        store = rate_limit_store or MemoryStore()
        fail_closed = settings.rate_limit_fail_closed
        stages.append(RateLimit(Rules(settings.rate_limits), store, fail_closed=fail_closed))
    return stages
