"""Tracing with OpenTelemetry: a server span per request from the pipeline's ``tracing`` stage,
exported over OTLP in the background by each worker process, and joined to the logs by the
trace and span ids on every log line of the request.

- ``stage.py``: the request's span (``spans.py``), sampled as ``sampling.py`` decides;
- ``calls.py``, ``outgoing.py``, ``queries.py``: the calls a request makes, as its children,
  recorded by the OpenTelemetry SDK;
- ``batches.py``, ``encoding.py``, ``transports.py``: every finished span encoded to OTLP and
  sent in batches from a thread, over HTTP or gRPC;
- ``provider.py``: all of it, per worker process; ``feature.py``: the feature.
"""
