"""The service's own stages, built from its settings. Features add theirs (``Feature.stages``)."""

from ..config import Settings
from ..logging import access_log
from .access_log import AccessLogStage
from .body_limit import BodyLimit
from .cors import Cors
from .deprecation import Deprecation
from .error_guard import ErrorGuard
from .request_id import RequestId
from .request_metrics import RequestMetrics
from .security_headers import SecurityHeaders
from .server_timing import ServerTiming
from .stage import Stage
from .timeout import Timeout
from .trusted_hosts import TrustedHosts


def core_stages(settings: Settings) -> list[Stage]:
    """Only what the settings switch on: a stage that would do nothing is left out."""
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
        exposed = ["X-Request-ID", "Server-Timing"]
        stages.append(Cors(settings.cors_origins, settings.cors_allow_credentials, exposed))
    if settings.allowed_hosts:
        stages.append(TrustedHosts(settings.allowed_hosts))
    if settings.api_deprecations:
        prefixes = {f"/api/{v}": d for v, d in settings.api_deprecations.items()}
        stages.append(Deprecation(prefixes))
    return stages
