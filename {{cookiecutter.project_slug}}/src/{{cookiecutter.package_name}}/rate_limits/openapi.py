"""The limited routes' 429 (and, failing closed on a shared store, 503) in the OpenAPI document,
with the header fields that come with them."""

from typing import Any

from fastapi import FastAPI

from ..errors import PROBLEM_MEDIA_TYPE
from .rules import Rules

PROBLEM = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
FIELDS = {
    "RateLimit-Policy": "The limits of the route: a quota (q) per window of w seconds each.",
    "RateLimit": "What remains of each limit (r), and seconds until its window ends (t).",
}


def limited_response(status: int) -> dict[str, Any]:
    headers = {
        name: {"description": text, "schema": {"type": "string"}} for name, text in FIELDS.items()
    }
    if status == 429:
        headers["Retry-After"] = {
            "description": "Seconds until the request may succeed.",
            "schema": {"type": "integer"},
        }
        return {"description": "Too Many Requests", "content": PROBLEM, "headers": headers}
    return {"description": "Service Unavailable", "content": PROBLEM}


def document_rate_limits(app: FastAPI, rules: Rules, *, may_be_unavailable: bool) -> None:
    """Add the answers of the limits to every operation they apply to, as the document is built
    (FastAPI builds it once and keeps it)."""
    statuses = [429, *([503] * may_be_unavailable)]
    build = app.openapi

    def openapi() -> dict[str, Any]:
        document = build()
        for path, operations in document.get("paths", {}).items():
            for method, operation in operations.items():
                if rules.match(method.upper(), path) is not None:
                    responses = operation.setdefault("responses", {})
                    for status in statuses:
                        responses.setdefault(str(status), limited_response(status))
        return document

    app.openapi = openapi  # type: ignore[method-assign]
