"""The service as deployed: ``python -m {{ cookiecutter.package_name }}`` on a real socket."""

import json
import signal
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx2
import pytest
import uvicorn
from prometheus_client.parser import text_string_to_metric_families

import {{ cookiecutter.package_name }}
from {{ cookiecutter.package_name }}.config import Environment, Settings
from {{ cookiecutter.package_name }}.server import serve

from support.servers import STOP_SECONDS, WORKER_COUNTS, running_service
from support.waiting import eventually


@pytest.fixture(scope="module", params=WORKER_COUNTS, ids=lambda count: f"{count}-workers")
def server(request: pytest.FixtureRequest) -> Iterator[str]:
    """A production server, shared by this module's tests."""
    workers = str(request.param)
    with running_service({"WORKERS": workers, "ACCESS_LOG": "false"}) as service:
        yield service.url


def served_count(metrics_text: str, route: str) -> float:
    for family in text_string_to_metric_families(metrics_text):
        for sample in family.samples:
            if sample.name == "http_requests_total" and sample.labels["route"] == route:
                return sample.value
    return 0.0


def test_serves_the_api_with_its_headers(server: str) -> None:
    response = httpx2.get(f"{server}/api/v1/health", headers={"X-Request-ID": "socket-1"})

    assert response.status_code == 200
    assert response.json()["environment"] == "production"
    assert response.headers["X-Request-ID"] == "socket-1"
    assert response.headers["Server-Timing"].startswith("app;dur=")
    assert "server" not in response.headers


def test_scrapes_count_every_request_within_a_second(server: str) -> None:
    sent = 20  # to a route no other test here calls
    for _ in range(sent):
        # A new connection per request, so requests spread over the workers.
        assert httpx2.get(f"{server}/api/v1/items").status_code == 200

    # The worker answering a scrape counts its own requests; another worker's arrive with its
    # next flush, at most a second later. None is counted twice meanwhile.
    counts: list[float] = []

    def all_counted() -> bool:
        counts.append(served_count(httpx2.get(f"{server}/metrics").text, "/api/v1/items"))
        return counts[-1] == sent

    eventually(all_counted, seconds=10)
    assert max(counts) == sent


def test_docs_are_off_in_production(server: str) -> None:
    assert httpx2.get(f"{server}/docs").status_code == 404
    assert httpx2.get(f"{server}/openapi.json").status_code == 404


@pytest.mark.parametrize("workers", WORKER_COUNTS)
def test_no_access_line_is_lost_on_sigterm_under_load(tmp_path: Path, workers: int) -> None:
    """Lines are buffered: the graceful stop must write every one of them."""
    log = tmp_path / "service.log"
    sent = 400
    with (
        running_service({"WORKERS": str(workers), "ACCESS_LOG": "true"}, output=log) as service,
        httpx2.Client(base_url=service.url) as client,
        ThreadPoolExecutor(max_workers=8) as pool,
    ):
        answers = list(pool.map(lambda _: client.get("/api/v1/health").status_code, range(sent)))
        assert answers == [200] * sent
    # Leaving running_service sent SIGTERM and saw the process exit 0.

    lines = [json.loads(line) for line in log.read_text().splitlines()]
    answered = [line for line in lines if line.get("route") == "/api/v1/health"]
    assert len(answered) == sent
    assert {line["logger"] for line in answered} == {"access"}


SLOW_APP = """
import asyncio

from {{ cookiecutter.package_name }}.config import get_settings
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.server import serve

app = create_app()


@app.get("/slow")
async def slow() -> dict[str, str]:
    await asyncio.sleep(0.5)
    return {"status": "finished"}


if __name__ == "__main__":
    serve(get_settings(), app="slow_app:app")
"""


def test_sigterm_lets_an_in_flight_request_finish(tmp_path: Path) -> None:
    (tmp_path / "slow_app.py").write_text(SLOW_APP)
    command = (sys.executable, str(tmp_path / "slow_app.py"))
    with running_service({"WORKERS": "1"}, command, cwd=tmp_path) as service:
        with ThreadPoolExecutor(max_workers=1) as pool:
            in_flight = pool.submit(httpx2.get, f"{service.url}/slow", timeout=10)
            time.sleep(0.2)  # the request is being handled
            service.process.send_signal(signal.SIGTERM)
            response = in_flight.result()
        assert response.status_code == 200
        assert response.json() == {"status": "finished"}
        assert service.process.wait(timeout=STOP_SECONDS) == 0


def test_reload_in_development_watches_the_code_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A SQLite file under var/ (or anything else beside the code) written is not a change."""
    options: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **given: options.update(given))
    monkeypatch.setattr(signal, "signal", lambda *handler: None)

    serve(Settings(environment=Environment.DEVELOPMENT))

    assert options["reload"] is True
    assert options["reload_dirs"] == [str(Path({{ cookiecutter.package_name }}.__file__).parent)]
