from fastapi.testclient import TestClient

from my_service.config import Environment, Settings
from my_service.main import create_app


def test_root_page_links_to_the_docs(client: TestClient) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'href="/docs"' in response.text


def test_root_page_in_production_says_docs_are_off() -> None:
    with TestClient(create_app(Settings(environment=Environment.PRODUCTION))) as client:
        response = client.get("/")

    assert 'href="/docs"' not in response.text
    assert "disabled" in response.text
