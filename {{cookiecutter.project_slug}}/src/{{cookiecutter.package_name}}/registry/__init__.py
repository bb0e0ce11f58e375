"""The service registry: other services register here (``PUT /api/v1/services/{id}``), this
service checks their health on a schedule and lists them, filtered by name, tag and health.

- ``schemas.py``: what a registration holds and what a listing shows;
- ``health.py``: how check results turn into a status, without flapping;
- ``catalog.py``: the registered services and their health (in this process's memory);
  ``store.py``: where registrations outlive the process;
- ``checks.py``: the health checks, one schedule per service, bounded in concurrency;
- ``routes.py``: the API; ``access.py``: who may register; ``metrics.py``: what it counts.
"""
