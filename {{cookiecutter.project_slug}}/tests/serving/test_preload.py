"""Several gunicorn workers, with the model loaded once before they fork (MODEL_PRELOAD); as many
as the service may run (one, when a feature keeps it to one process: then loaded once, too)."""

from pathlib import Path

import httpx2

from support.servers import WORKER_COUNTS, running_service, wait_until_service_ready
from support.serving import instances


def test_preloaded_workers_all_predict(tmp_path: Path) -> None:
    workers = str(max(WORKER_COUNTS))
    environment = {"WORKERS": workers, "MODEL_PRELOAD": "true", "LOG_FORMAT": "json"}
    with running_service(environment, output=tmp_path / "log") as service:
        wait_until_service_ready(service)
        # New connections, so both workers get some.
        answers = [
            httpx2.post(f"{service.url}/api/v1/predict", json={"instances": instances(3)})
            for _ in range(20)
        ]

    assert {answer.status_code for answer in answers} == {200}
    log = (tmp_path / "log").read_text()
    assert log.count("preloaded, for every worker") == 1  # in the master, not per worker
