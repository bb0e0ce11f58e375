"""The route template a request matched, for logs and metric labels (never the raw path, so
``/items/1`` and ``/items/2`` share one label and scanners cannot create unbounded series)."""

from typing import Any

from starlette.types import Scope

UNMATCHED = "<unmatched>"


def route_template(scope: Scope) -> str:
    """Read after the app has run: the router records the matched route in the scope.

    FastAPI keeps included routers whole, so ``scope["route"]`` is the route as declared in its
    router, without the prefixes it was included under (``/items/{item_id}``); the full template
    (``/api/v1/items/{item_id}``) is in FastAPI's own scope entry. FastAPI is pinned to a minor
    version and the tests assert full templates, so a change here cannot go unnoticed.
    """
    fastapi_scope: dict[str, Any] = scope.get("fastapi") or {}
    context = fastapi_scope.get("effective_route_context")
    path = getattr(context, "path_format", None) or getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) else UNMATCHED
