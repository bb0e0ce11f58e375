"""The schemes the service accepts credentials by: the one list of them, rendered from the
``auth`` answer (as ``features.py`` lists the features). Each is a folder of this package."""

from typing import TYPE_CHECKING

{% if cookiecutter.auth in ("api_key", "jwt_and_api_key") -%}
from .api_keys.scheme import ApiKeys
{% endif -%}
{% if cookiecutter.auth in ("jwt", "jwt_and_api_key") -%}
from .bearer.scheme import BearerTokens
{% endif -%}
from .scheme import Scheme

if TYPE_CHECKING:
    from ..config import Settings

SCHEMES: tuple[type[Scheme], ...] = ({{ {"jwt": "BearerTokens,", "api_key": "ApiKeys,", "jwt_and_api_key": "BearerTokens, ApiKeys"}.get(cookiecutter.auth, "") }})


def enabled_schemes(settings: "Settings") -> list[Scheme]:
    """Each scheme, configured from the environment."""
    return [scheme(settings) for scheme in SCHEMES]
