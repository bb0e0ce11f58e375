"""Spans encoded as an OTLP ``ExportTraceServiceRequest``, in protobuf's wire format.

Written out by hand because the SDK's encoder builds a message object per field and costs about
60 µs a span, more than the request the span describes; this costs a few. Attributes repeat
(the method, the route, the status), so each encoded attribute is kept for reuse. The tests
decode what this writes with OpenTelemetry's own protobuf classes.
"""

from collections.abc import Iterable, Mapping
from functools import lru_cache
from struct import Struct

from opentelemetry.util.types import AttributeValue

from .spans import Finished

FIXED64 = Struct("<Q")
DOUBLE = Struct("<d")
# Field keys: (field number << 3) | wire type (0 varint, 1 fixed64, 2 length-delimited).
TRACE_ID, SPAN_ID, TRACE_STATE, PARENT_SPAN_ID, NAME = b"\x0a", b"\x12", b"\x1a", b"\x22", b"\x2a"
KIND, START, END, ATTRIBUTE, STATUS = b"\x30", b"\x39", b"\x41", b"\x4a", b"\x7a"
ERROR_STATUS = STATUS + b"\x02\x18\x02"  # Status { code: STATUS_CODE_ERROR }


# Most varints in a span are lengths under 128: one byte each, made once.
ONE_BYTE = tuple(bytes((value,)) for value in range(0x80))


def varint(value: int) -> bytes:
    if value < 0x80:
        return ONE_BYTE[value]
    if value < 0x4000:  # the other lengths of a span
        return bytes(((value & 0x7F) | 0x80, value >> 7))
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def delimited(key: bytes, payload: bytes) -> bytes:
    return key + varint(len(payload)) + payload


def any_value(value: AttributeValue) -> bytes:
    """An ``AnyValue``."""
    if isinstance(value, str):
        return delimited(b"\x0a", value.encode())
    if isinstance(value, bool):
        return b"\x10\x01" if value else b"\x10\x00"
    if isinstance(value, int):
        return b"\x18" + varint(value & 0xFFFFFFFFFFFFFFFF)  # two's complement, as int64
    if isinstance(value, float):
        return b"\x21" + DOUBLE.pack(value)
    if isinstance(value, bytes):
        return delimited(b"\x3a", value)
    if isinstance(value, Mapping):
        return delimited(b"\x32", key_values(b"\x0a", value))  # a KeyValueList
    if value is None:
        return b""
    if isinstance(value, list | tuple):
        return delimited(b"\x2a", b"".join(delimited(b"\x0a", any_value(item)) for item in value))
    return any_value(str(value))  # not an attribute type: its text rather than an error


def key_values(field: bytes, values: Mapping[str, AttributeValue]) -> bytes:
    """Repeated ``KeyValue`` fields."""
    return b"".join(key_value(field, key, value) for key, value in values.items())


def key_value(field: bytes, key: str, value: AttributeValue) -> bytes:
    return delimited(field, encoded_key(key) + delimited(b"\x12", any_value(value)))


@lru_cache(maxsize=1024)
def encoded_key(key: str) -> bytes:
    """A ``KeyValue``'s key field (keys repeat from span to span)."""
    return delimited(b"\x0a", key.encode())


@lru_cache(maxsize=4096, typed=True)
def attribute(key: str, value: AttributeValue) -> bytes:
    """A span's attribute field."""
    return key_value(ATTRIBUTE, key, value)


def attributes(values: Mapping[str, AttributeValue]) -> bytes:
    encoded = []
    for key, value in values.items():
        try:
            encoded.append(attribute(key, value))
        except TypeError:  # a list or a mapping: not hashable, so not kept
            encoded.append(key_value(ATTRIBUTE, key, value))
    return b"".join(encoded)


def span(finished: Finished) -> bytes:
    """A ``Span`` message."""
    body = [
        TRACE_ID + b"\x10" + finished.trace_id.to_bytes(16, "big"),
        SPAN_ID + b"\x08" + finished.span_id.to_bytes(8, "big"),
    ]
    if finished.trace_state:
        body.append(delimited(TRACE_STATE, finished.trace_state.encode()))
    if finished.parent_span_id:
        body.append(PARENT_SPAN_ID + b"\x08" + finished.parent_span_id.to_bytes(8, "big"))
    body += [
        delimited(NAME, finished.name.encode()),
        KIND + varint(finished.kind),
        START + FIXED64.pack(finished.start_ns),
        END + FIXED64.pack(finished.end_ns),
        attributes(finished.attributes),
    ]
    if finished.error:
        body.append(ERROR_STATUS)
    return b"".join(body)


def resource(values: Mapping[str, AttributeValue]) -> bytes:
    """A ``Resource`` message: its attributes are its field 1."""
    return key_values(b"\x0a", values)


def export_request(resource_message: bytes, scope_name: str, spans: Iterable[bytes]) -> bytes:
    """An ``ExportTraceServiceRequest`` of one resource and one instrumentation scope, with
    ``spans`` as ``span`` encoded them."""
    scope = delimited(b"\x0a", delimited(b"\x0a", scope_name.encode()))
    scope_spans = scope + b"".join(delimited(b"\x12", encoded) for encoded in spans)
    resource_spans = delimited(b"\x0a", resource_message) + delimited(b"\x12", scope_spans)
    return delimited(b"\x0a", resource_spans)
