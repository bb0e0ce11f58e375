"""Rate limits: how many requests a caller may make per route in a window (``RATE_LIMITS``).

``rules.py`` reads the setting, ``store.py`` counts (in this process's memory, or in a shared
store a feature brings), ``fields.py`` writes the IETF ``RateLimit-Policy`` and ``RateLimit``
fields, ``openapi.py`` documents the 429; the ``rate_limit`` stage (``pipeline/rate_limit.py``)
applies them to each request.
"""
