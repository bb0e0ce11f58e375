"""The events' archive in S3: its own process (``python -m {{ cookiecutter.package_name }} archive``)
consuming what the service publishes and storing it as gzip JSON Lines objects, acknowledging
to the broker only what is stored.

- ``batches.py``: events grouped into objects, and the objects' names;
- ``archiver.py``: the loop (consume, flush on size or age, upload, then acknowledge);
- ``store.py``: S3 (or any S3-compatible store);
- ``{{ cookiecutter.event_broker }}.py``: the broker's consumer;
- ``settings.py``, ``metrics.py``, ``feature.py`` (the command).
"""
