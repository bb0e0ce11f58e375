"""The route template a request matched, for logs and metric labels (never the raw path, so
``/items/1`` and ``/items/2`` share one label and scanners cannot create unbounded series)."""

import re
from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from starlette.routing import compile_path
from starlette.types import Scope

UNMATCHED = "<unmatched>"

# Per app: the path of each plain route (the docs, for one), by its endpoint.
_plain_route_paths: WeakKeyDictionary[Any, dict[Callable[..., Any], str]] = WeakKeyDictionary()
# Per app: each route template, its pattern and its methods, in the order they are declared.
RouteTable = list[tuple[re.Pattern[str], frozenset[str], str]]
_route_tables: WeakKeyDictionary[Any, RouteTable] = WeakKeyDictionary()


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


def declared_route(scope: Scope) -> str:
    """The template of the route a request asks for, found without running the router: for a
    request a stage answers before the router runs (a 429), so that its metrics and access line
    are labelled as if the router had matched it. The routes are those of the app's OpenAPI
    document and its plain routes; the first whose path and method match, else the first whose
    path matches (the router answers that one 405)."""
    app = scope.get("app")
    if app is None:
        return UNMATCHED
    table = _route_tables.get(app)
    if table is None:
        table = _route_tables[app] = route_table(app)
    path, method = scope["path"], scope["method"]
    matching = [(methods, template) for pattern, methods, template in table if pattern.match(path)]
    for methods, template in matching:
        if method in methods:
            return template
    return matching[0][1] if matching else UNMATCHED


def route_table(app: Any) -> RouteTable:
    declared: dict[str, set[str]] = {}
    for route in app.routes:
        methods = getattr(route, "methods", None)
        if isinstance(getattr(route, "path", None), str) and methods:
            declared.setdefault(route.path, set()).update(methods)
    for template, operations in app.openapi().get("paths", {}).items():
        declared.setdefault(template, set()).update(method.upper() for method in operations)
    return [
        (compile_path(template)[0], frozenset(methods), template)
        for template, methods in declared.items()
    ]
