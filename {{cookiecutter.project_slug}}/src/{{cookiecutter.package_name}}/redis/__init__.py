"""Redis as a feature: one client with a bounded pool (``client.py``), shared by the rate
limits (``limits.py``: counts every worker and replica sees) and the items' read cache
(``cache.py``)."""
