import time
from html.parser import HTMLParser

import httpx2
from fastapi.testclient import TestClient

from support.browser import rendered_dom, screenshot
from support.credentials import HEADERS
from support.members import registration, running_member
from support.servers import running_service
from support.waiting import eventually

SERVICES = "/api/v1/services"


class Rows(HTMLParser):
    """The status page's rows: id -> the texts of its cells."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self._row: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        row = dict(attrs).get("id")
        if tag == "tr" and row:
            self._row = row
            self.rows[row] = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._row is not None and self._cell is not None:
            self.rows[self._row].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def rows(html: str) -> dict[str, list[str]]:
    parser = Rows()
    parser.feed(html)
    return parser.rows


def test_the_page_lists_every_service_with_its_health(client: TestClient) -> None:
    empty = client.get("/registry")
    body = registration("billing", "http://127.0.0.1:9", tags=["<script>", "eu"])
    client.put(f"{SERVICES}/billing-1", json=body)
    page = client.get("/registry")

    assert "No service is registered." in empty.text
    assert page.headers["content-type"].startswith("text/html")
    assert "<script>" not in page.text  # tags are text, never markup
    [cells] = rows(page.text).values()
    assert cells[:3] == ["billing-1", "billing", "<script>eu"]


def test_a_browser_shows_the_statuses() -> None:
    with (
        running_service({}) as registry,
        running_member("billing") as billing,
        running_member("search") as search,
    ):
        search.health_status = 503
        for member in (billing, search):
            url = f"{registry.url}{SERVICES}/{member.name}-1"
            httpx2.put(url, json=member.registration(), headers=HEADERS).raise_for_status()
        eventually(lambda: billing.checks > 0 and search.checks > 0)
        time.sleep(0.2)  # the checks' answers recorded

        dom = rendered_dom(f"{registry.url}/registry")
        image = screenshot(f"{registry.url}/registry", "registry-status-page")

    shown = rows(dom)
    assert shown["billing-1"][3] == "passing"
    assert shown["search-1"][3] == "critical"
    assert shown["search-1"][5] == "HTTP 503"
    assert image.read_bytes().startswith(b"\x89PNG")
    assert image.stat().st_size > 10_000
