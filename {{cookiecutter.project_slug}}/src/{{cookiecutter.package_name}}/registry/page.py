"""``/registry``: the registered services on one page, rendered here (no scripts, no build step,
nothing fetched from elsewhere), refreshing itself every few seconds."""

from collections.abc import Iterable
from datetime import datetime
from html import escape
from typing import Final

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from .catalog import Catalog, Entry

REFRESH_SECONDS: Final = 5
STYLE: Final = """
body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem; color: #1f2328; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .45rem .7rem; border-bottom: 1px solid #d0d7de; }
th { background: #f6f8fa; }
.status { font-weight: 600; border-radius: 1rem; padding: .1rem .6rem; }
.passing { background: #dafbe1; color: #116329; }
.warning { background: #fff8c5; color: #7d4e00; }
.critical { background: #ffebe9; color: #a40e26; }
.tag { background: #eaeef2; border-radius: .3rem; padding: 0 .35rem; margin-right: .25rem; }
"""


def _checked(at: datetime | None) -> str:
    return "never" if at is None else at.strftime("%Y-%m-%d %H:%M:%S UTC")


def _row(entry: Entry) -> str:
    registration, health = entry.registration, entry.health
    tags = "".join(f'<span class="tag">{escape(tag)}</span>' for tag in registration.tags)
    docs = (
        f'<a href="{escape(str(registration.url).rstrip("/"))}/docs">docs</a>'
        if registration.openapi_url is not None
        else ""
    )
    return (
        f'<tr id="{escape(entry.id)}"><td>{escape(entry.id)}</td>'
        f"<td>{escape(registration.name)}</td><td>{tags}</td>"
        f'<td><span class="status {health.status.value}">{health.status.value}</span></td>'
        f"<td>{_checked(health.checked_at)}</td><td>{escape(health.output)}</td>"
        f'<td><a href="{escape(str(registration.url))}">{escape(str(registration.url))}</a></td>'
        f"<td>{docs}</td></tr>"
    )


def render(title: str, entries: Iterable[Entry]) -> str:
    rows = "".join(_row(entry) for entry in entries)
    body = (
        "<table><thead><tr><th>id</th><th>name</th><th>tags</th><th>status</th>"
        "<th>last check</th><th>output</th><th>url</th><th></th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        if rows
        else "<p>No service is registered.</p>"
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='refresh' content='{REFRESH_SECONDS}'>"
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )


def page_router(catalog: Catalog, title: str) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/registry", response_class=HTMLResponse)
    async def status_page() -> str:
        return render(title, catalog.find())

    return router
