"""Registration with a service registry: this service ``PUT``s its registration (name, URL, tags,
health and OpenAPI URLs) to ``REGISTRY_URL`` at startup and again on a schedule, which also
registers it again after the registry forgot it (a restart); it deregisters when it stops.

- ``settings.py``: where the registry is, and how this service appears in it;
- ``registrar.py``: registering, retried with backoff, and deregistering;
- ``feature.py``: run in the background, never holding up startup or readiness.
"""
