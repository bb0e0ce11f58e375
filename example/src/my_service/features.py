"""The features this service is made of, in the order they start (and stop in reverse).

The one list: each enabled feature is one entry here and one folder of the package, and the
core imports no feature (only the items example stores its items through the database when
there is one, ``api/v1/item_store.py``, and asks for a scope to change them when there is
authentication, ``api/v1/item_access.py``). See ``feature.py`` for what a feature may bring.
The authentication schemes are listed here too: routes declare them for the OpenAPI document
when they are imported, before any feature is built.
(Imports stay in sorted order: each sits where ruff would put it.)
"""

from .config import Settings
from .db.feature import DatabaseFeature
from .feature import Feature


def enabled_features(settings: Settings) -> list[Feature]:
    """The enabled features, each configured from the environment (and the service's
    ``settings``, for what depends on where it runs)."""
    features: list[Feature] = []
    features.append(DatabaseFeature())
    return features
