"""The benchmark still runs end to end (quick mode); its targets are reported, not asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.tools import TOOLS_DIR

from .template import TEMPLATE_DIR

SCENARIOS = {"bare", "log", "quiet", "bare2", "log2", "quiet2"}


@pytest.mark.slow
def test_quick_benchmark_measures_every_scenario(tmp_path: Path) -> None:
    # As the README runs it: `.venv/bin/python -m bench` with no venv activated, so the
    # benchmark has to find uv and cookiecutter itself (conftest put them on this PATH).
    path = [entry for entry in os.environ["PATH"].split(os.pathsep) if entry != TOOLS_DIR]
    user = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--output", str(tmp_path)],
        cwd=TEMPLATE_DIR,
        env={**user, "PATH": os.pathsep.join(path)},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    results = json.loads((tmp_path / "latest.json").read_text())
    assert set(results["throughput"]) == SCENARIOS
    for scenario in results["throughput"].values():
        assert scenario["requests_per_second"] > 0
        assert scenario["errors"] == 0
        assert 0 < scenario["p50_ms"] <= scenario["p99_ms"]
        assert scenario["cpu_us_per_request"] > 0  # the server's own CPU time, from /proc
    counted = results["instructions_per_request"]
    assert set(counted) == {"bare", "log", "quiet"}
    # Counted, not timed: the service does at least what bare FastAPI does, and not ten times it.
    assert 0 < counted["bare"] <= counted["quiet"] <= counted["log"] < 10 * counted["bare"]
    assert set(results["cold_start_s"]) == {"bare", "bare_db", "service"}
    assert results["cold_start_s"]["service"] > 0
    assert results["metrics_scrape_s"]["2"] > 0
    assert 0 < results["render_s"] < 30
    soak = results["soak"]
    assert soak["requests"] > 0
    assert soak["rss_first_mib"] > 0
    assert soak["rss_last_mib"] > 0
    per_request = results["in_process_us"]
    assert per_request["bare FastAPI"] > 0
    assert {"stage request_id", "stage body_limit", "stage access_log"} <= set(per_request)
    assert set(results["auth"]) == {"anonymous", "bearer", "bearer_uncached"}
    for scenario in results["auth"].values():
        assert scenario["requests_per_second"] > 0
        assert scenario["errors"] == 0  # the token was accepted: a 401 is not a 2xx
    accounts = results["accounts"]
    assert accounts["logins"]["per_second"] > 0  # each a 200: a refusal fails the client
    assert accounts["rotations"]["per_second"] > 0
    assert accounts["hashing"].startswith("Argon2id")
    for name in ("anonymous", "bearer"):
        assert accounts[name]["errors"] == 0  # the issued token was accepted
        assert accounts[name]["cpu_us_per_request"] > 0
    events = results["events"]
    for name in ("off", "on", "off_pg", "on_pg"):
        assert events[name]["requests_per_second"] > 0
        assert events[name]["errors"] == 0  # every item new: no 409
    assert events["on"]["drain_s"] >= 0  # the outbox emptied
    assert events["on_pg"]["drain_s"] >= 0
    limits = results["limits"]
    assert set(limits) == {
        "off",
        "memory",
        "redis_off",
        "redis",
        "read_sqlite",
        "read_postgresql",
        "read_cached",
    }
    assert {"redis_failures"} <= set(limits["redis"]) & set(limits["read_cached"])
    for scenario in limits.values():
        assert scenario["requests_per_second"] > 0
        assert scenario["errors"] == 0  # no 429: the limit is never reached; the item exists
        assert scenario["cpu_us_per_request"] > 0
    archive = results["archive"]
    assert archive["events_per_second"] > 0  # every event stored
    assert archive["objects"] >= 2  # one per event type at least
    assert archive["bare_events_per_second"] > 0
    tracing = results["tracing"]
    assert tracing["exports"] > 0  # spans reached the collector
    for name in ("off", "sampled", "ratio"):
        assert tracing[name]["requests_per_second"] > 0
        assert tracing[name]["errors"] == 0
    serving = results["serving"]
    for size in ("1", "64"):
        for server in ("http", "plain"):  # the service, and the plain FastAPI endpoint
            assert serving[server][size]["rows_per_second"] > 0
            assert serving[server][size]["errors"] == 0  # every batch was predicted
            assert serving[server][size]["cpu_us_per_request"] > 0
        assert serving["in_process_rows_per_second"][size] > 0
    for liveness in ("liveness", "plain_liveness"):
        assert serving[liveness]["probes"] > 0
        assert serving[liveness]["errors"] == 0
    assert serving["liveness"]["requests_per_call"] >= 1  # every request predicted, some merged
    assert serving["pss_mib"]["per_worker"] > 0
    assert serving["pss_mib"]["preloaded"] > 0
    registry = results["registry"]
    assert registry["listings"] > 0
    assert registry["checks"] >= registry["services"]  # each service checked again meanwhile
    assert 0 < registry["check_gap_p50_s"] <= registry["check_gap_max_s"]
    function = results["function"]
    assert set(function["cold_start_s"]) == {
        "bare",
        "bare_db",
        "no_database",
        "migrated",
        "migrating",
    }
    assert all(seconds > 0 for seconds in function["cold_start_s"].values())  # each answered 200
    assert 0 < function["package"]["zipped_bytes"] < function["package"]["size_bytes"]
    table = (tmp_path / "latest.md").read_text()
    # The service's rows: 4 under load, 2 under callgrind, 2 serving, 2 in-process.
    assert sum(line.startswith("| service, ") for line in table.splitlines()) == 10
    assert sum(line.startswith("| soak: ") for line in table.splitlines()) == 2
    assert "| default answers, limits in memory | " in table
