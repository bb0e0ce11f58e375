"""Tracing with OpenTelemetry: a server span per request from the pipeline's ``tracing`` stage,
exported over OTLP in the background by each worker process, and joined to the logs by the
trace and span ids on every log line of the request."""
