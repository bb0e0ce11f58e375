"""Domain events delivered to a message broker, at least once: consumers deduplicate by id.

- ``envelope.py``: the one envelope every event travels in;
- ``delivery.py``: how a request's events reach the broker (through the outbox table and its
  relay when there is a database, ``outbox.py``; directly otherwise);
- ``publisher.py``: the connection to the broker and bounded publishing, whichever it is;
  ``{{ cookiecutter.event_broker }}.py``: the broker's own client library, as the publisher uses it;
- ``settings.py``, ``metrics.py``, ``feature.py``.
"""
