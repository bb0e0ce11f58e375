"""The features this service is made of, in the order they start (and stop in reverse).

The one list: each enabled feature is one entry here and one folder of the package, and the
core imports no feature (only the items example stores its items through the database when
there is one, ``api/v1/item_store.py``, and asks for a scope to change them when there is
authentication, ``api/v1/item_access.py``). See ``feature.py`` for what a feature may bring.
The authentication schemes are listed here too: routes declare them for the OpenAPI document
when they are imported, before any feature is built.
(Imports stay in sorted order: each sits where ruff would put it.)
"""

{% if cookiecutter.auth == "password" -%}
from .accounts.feature import Accounts
from .accounts.scheme import AccountTokens
{% endif -%}
{% if cookiecutter.event_archive == "s3" -%}
from .archive.feature import EventArchive
from .archive.{{ cookiecutter.event_broker }} import {{ cookiecutter.__event_broker_class }}Source
{% endif -%}
{% if cookiecutter.auth in ("api_key", "jwt_and_api_key") -%}
from .auth.api_keys.scheme import ApiKeys
{% endif -%}
{% if cookiecutter.auth in ("jwt", "jwt_and_api_key") -%}
from .auth.bearer.scheme import BearerTokens
{% endif -%}
{% if cookiecutter.auth != "none" -%}
from .auth.feature import Authentication
from .auth.scheme import Scheme
{% endif -%}
from .config import Settings
{% if cookiecutter.database != "none" -%}
from .db.feature import DatabaseFeature
{% endif -%}
{% if cookiecutter.event_broker != "none" -%}
from .events.feature import EventStreaming
from .events.{{ cookiecutter.event_broker }} import {{ cookiecutter.__event_broker_class }}
{% endif -%}
from .feature import Feature
{%- if cookiecutter.redis == "yes" %}
from .redis.feature import RedisFeature
{%- endif %}
{%- if cookiecutter.service_registry == "client" %}
from .registration.feature import Registration
{%- endif %}
{%- if cookiecutter.service_registry == "server" %}
from .registry.feature import RegistryServer
{%- endif %}
{%- if cookiecutter.ml_serving == "yes" %}
from .serving.feature import Serving
{%- endif %}
{%- if cookiecutter.tracing != "none" %}
from .telemetry.calls import Instrumentation
from .telemetry.feature import Telemetry
from .telemetry.outgoing import trace_outgoing_calls
{%- endif %}
{%- if cookiecutter.tracing != "none" and cookiecutter.database != "none" %}
from .telemetry.queries import trace_queries
{%- endif %}
{%- if cookiecutter.auth != "none" %}

# The schemes the service accepts credentials by.
AUTH_SCHEMES: tuple[type[Scheme], ...] = ({{ {"jwt": "BearerTokens,", "api_key": "ApiKeys,", "jwt_and_api_key": "BearerTokens, ApiKeys", "password": "AccountTokens,"}.get(cookiecutter.auth, "") }})
{%- endif %}
{%- if cookiecutter.tracing != "none" %}

# The calls a request makes that are traced as its children.
TRACED_CALLS: tuple[Instrumentation, ...] = ({{ "trace_outgoing_calls, trace_queries" if cookiecutter.database != "none" else "trace_outgoing_calls," }})
{%- endif %}


def enabled_features(settings: Settings) -> list[Feature]:
    """The enabled features, each configured from the environment (and the service's
    ``settings``, for what depends on where it runs)."""
    features: list[Feature] = []
{%- if cookiecutter.database != "none" %}
    features.append(DatabaseFeature())
{%- endif %}
{%- if cookiecutter.redis == "yes" %}
    features.append(RedisFeature())
{%- endif %}
{%- if cookiecutter.auth == "password" %}
    # The service issues the tokens its scheme checks, with its own keys.
    accounts = Accounts(settings)
    schemes: list[Scheme] = [accounts.scheme()]
    features += [accounts, *schemes, Authentication(schemes)]
{%- elif cookiecutter.auth != "none" %}
    schemes = [scheme(settings) for scheme in AUTH_SCHEMES]
    features += [*schemes, Authentication(schemes)]
{%- endif %}
{%- if cookiecutter.ml_serving == "yes" %}
    features.append(Serving())
{%- endif %}
{%- if cookiecutter.event_broker != "none" %}
    features.append(EventStreaming({{ cookiecutter.__event_broker_class }}))
{%- endif %}
{%- if cookiecutter.event_archive == "s3" %}
    features.append(EventArchive({{ cookiecutter.__event_broker_class }}Source))
{%- endif %}
{%- if cookiecutter.service_registry == "server" %}
    features.append(RegistryServer(settings))
{%- endif %}
{%- if cookiecutter.service_registry == "client" %}
    features.append(Registration(settings))
{%- endif %}
{%- if cookiecutter.tracing != "none" %}
    features.append(Telemetry(settings, calls=TRACED_CALLS))
{%- endif %}
    return features
