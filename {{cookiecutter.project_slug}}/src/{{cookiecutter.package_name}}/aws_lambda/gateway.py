"""API Gateway events as the app should see them: the stage's prefix is the app's root path.

Behind a named stage the client's URL starts with the stage (``/prod/api/v1/items``). A REST API
(payload 1.0) strips it from the event's ``path``, and an HTTP API (payload 2.0) keeps it in
``rawPath``; either way the app must route the path without it and know the prefix as its
``root_path``, so that links it makes (the docs page's ``/openapi.json``, the document's
``servers``) point back through the stage.
"""

from mangum.handlers import APIGateway, HTTPGateway
from mangum.types import LambdaHandler, Scope

DEFAULT_STAGE = "$default"  # an HTTP API's unnamed stage: no prefix


class RestApiEvents(APIGateway):
    """Payload 1.0 (REST APIs): the prefix is what the client's path has before the app's."""

    @property
    def scope(self) -> Scope:
        scope = super().scope
        scope["root_path"] = prefix_before(
            self.event["requestContext"].get("path") or "", scope["path"]
        )
        return scope


class HttpApiEvents(HTTPGateway):
    """Payload 2.0 (HTTP APIs), and payload 1.0 sent by an HTTP API: the path keeps a named
    stage, which is taken off."""

    @property
    def scope(self) -> Scope:
        scope = super().scope
        stage = self.event["requestContext"].get("stage") or DEFAULT_STAGE
        if stage != DEFAULT_STAGE:
            scope["path"], scope["root_path"] = without_stage(scope["path"], stage)
        return scope


def prefix_before(client_path: str, app_path: str) -> str:
    """What ``client_path`` has before ``app_path`` (``/prod`` for ``/prod/items`` and
    ``/items``), or nothing when it does not end with it."""
    if len(client_path) > len(app_path) and client_path.endswith(app_path):
        return client_path[: len(client_path) - len(app_path)].rstrip("/")
    return ""


def without_stage(path: str, stage: str) -> tuple[str, str]:
    """``path`` without the ``/<stage>`` it starts with, and that prefix; unchanged if it does
    not start with it."""
    prefix = f"/{stage}"
    if path == prefix or path.startswith(f"{prefix}/"):
        return path[len(prefix) :] or "/", prefix
    return path, ""


# Checked in this order, before Mangum's own (which then serve load balancer and edge events).
EVENT_HANDLERS: list[type[LambdaHandler]] = [HttpApiEvents, RestApiEvents]
