"""The route template a request matched, for logs and metric labels (never the raw path, so
``/items/1`` and ``/items/2`` share one label and scanners cannot create unbounded series)."""

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from starlette.types import Scope

UNMATCHED = "<unmatched>"

# Per app: the path of each plain route (the docs, for one), by its endpoint.
_plain_route_paths: WeakKeyDictionary[Any, dict[Callable[..., Any], str]] = WeakKeyDictionary()


def route_template(scope: Scope) -> str:
    """Read after the app has run: the router records what it matched in the scope.

    FastAPI keeps included routers whole, so ``scope["route"]`` is the route as declared in its
    router, without the prefixes it was included under (``/items/{item_id}``); the full template
    (``/api/v1/items/{item_id}``) is in FastAPI's own scope entry. Plain routes, such as the docs,
    leave only their endpoint. FastAPI is pinned to a minor version and the tests assert these
    templates, so a change here cannot go unnoticed. ``Exchange.route`` keeps the result: metrics
    and the access log share it.
    """
    fastapi_scope: dict[str, Any] = scope.get("fastapi") or {}
    context = fastapi_scope.get("effective_route_context")
    path = getattr(context, "path_format", None) or getattr(scope.get("route"), "path", None)
    if path is None and (endpoint := scope.get("endpoint")) is not None:
        path = plain_route_paths(scope["app"]).get(endpoint)
    return path if isinstance(path, str) else UNMATCHED


def plain_route_paths(app: Any) -> dict[Callable[..., Any], str]:
    paths = _plain_route_paths.get(app)
    if paths is None:
        paths = {
            route.endpoint: route.path
            for route in app.routes
            if hasattr(route, "endpoint") and isinstance(getattr(route, "path", None), str)
        }
        _plain_route_paths[app] = paths
    return paths
