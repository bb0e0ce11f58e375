"""PromQL as the alert rules and dashboards write it: which metrics an expression reads, whether
the service exports them, and promtool to check expressions and rules."""

import re
import shutil
import subprocess
from pathlib import Path

from fastapi.testclient import TestClient

# Series Prometheus makes itself; the suffixes of a counter's or a histogram's series.
PROMETHEUS_OWN = frozenset({"up"})
SUFFIXES = ("_bucket", "_count", "_sum", "_total", "_created")
KEYWORDS = frozenset({"and", "or", "unless", "bool", "offset"})


def promtool(*arguments: str, cwd: Path) -> str:
    tool = shutil.which("promtool")
    assert tool, "install promtool (Debian and Ubuntu: apt-get install prometheus)"
    result = subprocess.run(  # noqa: S603
        [tool, *arguments], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def metrics_in(expression: str) -> set[str]:
    """The metric names an expression reads (not its functions, labels or keywords)."""
    without_labels = re.sub(r"\{[^}]*\}", "{}", expression)
    without_groupings = re.sub(r"\b(?:by|without|on|ignoring)\s*\([^)]*\)", "", without_labels)
    words = set(re.findall(r"\b[a-z_][a-z0-9_]*\b", without_groupings))
    functions = set(re.findall(r"\b([a-z_][a-z0-9_]*)\s*\(", without_groupings))
    return words - functions - KEYWORDS - PROMETHEUS_OWN


def exported_metrics(client: TestClient) -> set[str]:
    """Every metric the service's ``/metrics`` declares (a labelled one may have no series yet)
    or samples, after one request so that the request metrics have a series."""
    client.get("/api/v1/health")
    lines = client.get("/metrics").text.splitlines()
    declared = {line.split()[2] for line in lines if line.startswith("# TYPE ")}
    return declared | {re.split(r"[{ ]", line)[0] for line in lines if not line.startswith("#")}


def is_exported(name: str, exported: set[str]) -> bool:
    """Whether a series of this name comes from an exported metric."""
    families = {name.removesuffix(suffix) for suffix in SUFFIXES if name.endswith(suffix)}
    return bool({name, *families} & exported)
