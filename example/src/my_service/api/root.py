"""``/``: a small page saying what this service is and where its docs are."""

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .. import __version__
from ..state import app_settings

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def root(request: Request) -> str:
    settings = app_settings(request)
    name = escape(settings.service_name)
    docs = (
        '<a href="/docs">API documentation</a>'
        if settings.serve_docs
        else "API documentation is disabled here."
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{name}</title></head>"
        f"<body><h1>{name}</h1><p>Version {escape(__version__)}.</p><p>{docs}</p>"
        '<p><a href="/health/ready">Readiness</a> · <a href="/metrics">Metrics</a></p>'
        "</body></html>"
    )
