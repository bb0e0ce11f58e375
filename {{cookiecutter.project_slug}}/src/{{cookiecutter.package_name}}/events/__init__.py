"""Domain events delivered to a message broker, at least once: consumers deduplicate by id.

- ``envelope.py``: the one envelope every event travels in;
- ``delivery.py``: how a request's events reach the broker (through the outbox table and its
  relay when there is a database, ``outbox.py``; directly otherwise);
- ``kafka.py``: the broker's client; ``settings.py``, ``metrics.py``, ``feature.py``.
"""
