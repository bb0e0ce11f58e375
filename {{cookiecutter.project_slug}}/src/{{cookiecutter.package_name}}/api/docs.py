"""``/docs``: Swagger UI from files installed with the service, not from a CDN, so the page works
on a network without the internet and under a Content-Security-Policy that allows only the
service itself ('self'): no inline script, and no request to any other host (Swagger UI's
validator badge, which fetches from validator.swagger.io, is off).

The files are those of Swagger UI's own distribution as the ``fastapi-offline`` package ships
them; the page and its start script are the service's.
"""

from functools import cache
from html import escape
from importlib.resources import files
from typing import Final

from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, Response

from ..state import app_settings

DOCS = "/docs"
ASSETS = f"{DOCS}/assets"
OAUTH2_REDIRECT = f"{DOCS}/oauth2-redirect"
# Only the service's own origin, for scripts, styles, images (the favicon, Swagger UI's icons as
# data: URLs) and the OpenAPI document it fetches.
POLICY: Final = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"
STATIC: Final = files("fastapi_offline") / "static"
MEDIA_TYPES: Final = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon.png": "image/png",
}
# Swagger UI started from a file, since the policy allows no inline script; the page gives it the
# document's URL in a data attribute.
START: Final = """\
window.addEventListener("load", function () {
  var element = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: element.dataset.openapiUrl,
    oauth2RedirectUrl: element.dataset.oauth2RedirectUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
});
"""
CACHED: Final = {"cache-control": "public, max-age=86400"}

router = APIRouter(include_in_schema=False)


@router.get(DOCS, response_class=HTMLResponse)
async def docs(request: Request) -> HTMLResponse:
    root = escape(request.scope.get("root_path", ""))
    name = escape(app_settings(request).service_name)
    page = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{name}: API documentation</title>"
        f"<link rel='icon' type='image/png' href='{root}{ASSETS}/favicon.png'>"
        f"<link rel='stylesheet' href='{root}{ASSETS}/swagger-ui.css'></head><body>"
        f"<div id='swagger-ui' data-openapi-url='{root}{request.app.openapi_url}'"
        f" data-oauth2-redirect-url='{root}{OAUTH2_REDIRECT}'></div>"
        f"<script src='{root}{ASSETS}/swagger-ui-bundle.js'></script>"
        f"<script src='{root}{ASSETS}/start.js'></script></body></html>"
    )
    return HTMLResponse(page, headers={"content-security-policy": POLICY})


@router.get(OAUTH2_REDIRECT, response_class=HTMLResponse)
async def oauth2_redirect() -> HTMLResponse:
    """Where an identity provider sends the browser back after Swagger UI's OAuth 2 login."""
    return get_swagger_ui_oauth2_redirect_html()


@router.get(ASSETS + "/{name}")
def asset(name: str) -> Response:
    if name == "start.js":
        return Response(START, media_type="text/javascript; charset=utf-8", headers=CACHED)
    if name not in MEDIA_TYPES:
        raise HTTPException(status_code=404)
    return Response(content_of(name), media_type=MEDIA_TYPES[name], headers=CACHED)


@cache
def content_of(name: str) -> bytes:
    """Read once per process, on first use (a process that serves no docs never reads them)."""
    return (STATIC / name).read_bytes()
