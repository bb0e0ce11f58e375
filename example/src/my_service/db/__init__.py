"""The database: async SQLAlchemy 2 (``database.py``), the declarative base and timestamp columns
(``base.py``), the request's session (``session.py``), schema migrations with Alembic
(``schema.py`` and ``migrations/``) and connection-pool metrics (``pool_metrics.py``)."""
