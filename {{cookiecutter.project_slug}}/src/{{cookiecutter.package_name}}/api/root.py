"""``/``: a small page saying what this service is and where its docs are."""

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from .. import __version__
from .dependencies import AppSettings

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def root(settings: AppSettings) -> str:
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
