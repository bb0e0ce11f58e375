"""``/docs`` works offline and under a strict Content-Security-Policy: Swagger UI's files come
from the service, the page runs no inline script, and a real browser lists the operations
without a request leaving the machine."""

import re

from fastapi.testclient import TestClient

from support.browser import OutsideRequests, rendered_dom, screenshot
from support.servers import running_service

SCRIPT = re.compile(r"<script([^>]*)>(.*?)</script>", re.DOTALL)
REFERENCE = re.compile(r"""(?:src|href)=['"]([^'"]+)['"]""")


def test_the_page_allows_only_the_service_itself(client: TestClient) -> None:
    page = client.get("/docs")

    assert page.status_code == 200
    policies = page.headers.get_list("content-security-policy")
    assert "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'" in policies
    scripts = SCRIPT.findall(page.text)
    assert scripts
    assert all("src=" in attributes and not body.strip() for attributes, body in scripts)


def test_every_file_the_page_loads_is_served_by_the_service(client: TestClient) -> None:
    page = client.get("/docs").text
    references = REFERENCE.findall(page)
    assert len(references) == 4  # the icon, the style sheet, Swagger UI and its start script

    for reference in references:
        assert reference.startswith("/docs/assets/"), reference
        asset = client.get(reference)
        assert asset.status_code == 200, reference
        assert asset.headers["content-type"].split(";")[0] in {
            "text/javascript",
            "text/css",
            "image/png",
        }
    start = client.get("/docs/assets/start.js").text
    assert "validatorUrl: null" in start  # its default fetches a badge from validator.swagger.io
    assert client.get("/docs/assets/redoc.standalone.js").status_code == 404


def test_a_browser_lists_the_operations_without_leaving_the_machine() -> None:
    """Headless Chromium on the served page, every request for another host sent to a proxy that
    records it; a screenshot is kept as a test artifact."""
    with (
        running_service({"DOCS_ENABLED": "true", "ACCESS_LOG": "false"}) as service,
        OutsideRequests() as outside,
    ):
        url = f"{service.url}/docs"
        dom = rendered_dom(url, settle_ms=10_000, proxy=outside.url)
        shot = screenshot(url, "docs", settle_ms=10_000, proxy=outside.url)

    assert 'class="opblock ' in dom or 'class="opblock-tag' in dom, "no operation was listed"
    assert "/api/v1/items" in dom
    assert outside.requested == []
    assert shot.stat().st_size > 10_000
