"""The load test, run briefly against the service on a real socket, so that it cannot rot."""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

from support.credentials import HEADERS
from support.servers import running_service

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def test_the_load_test_reads_and_writes_without_failures(tmp_path: Path) -> None:
    results = tmp_path / "load"
    with running_service({}) as service:
        finished = subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "locust",
                f"--locustfile={LOCUSTFILE}",
                "--headless",
                f"--host={service.url}",
                "--users=4",
                "--spawn-rate=4",
                "--run-time=3s",
                "--only-summary",
                f"--csv={results}",
            ],
            env={**os.environ, "LOAD_TEST_HEADERS": json.dumps(HEADERS)},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    report = finished.stdout + finished.stderr
    assert finished.returncode == 0, report
    assert "Response time percentiles" in report
    with Path(f"{results}_stats.csv").open() as stats:
        rows = {row["Type"] + " " + row["Name"]: row for row in csv.DictReader(stats)}
    aggregated = rows.pop(" Aggregated")
    assert int(aggregated["Failure Count"]) == 0
    assert {name for name, row in rows.items() if int(row["Request Count"]) > 0} >= {
        "GET /api/v1/items?limit=",
        "GET /api/v1/items/{item_id}",
        "POST /api/v1/items",
    }
