"""The alert rules (``deploy/prometheus/rules``): valid, loaded by the Prometheus configuration,
each file unit-tested by promtool with series that fire its alerts and series that must not,
and asking only for metrics the service exports."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

PROMETHEUS = Path(__file__).parents[2] / "deploy" / "prometheus"
RULES = sorted((PROMETHEUS / "rules").glob("*.yml"))
# Series Prometheus makes itself; the suffixes of a counter's or a histogram's series.
PROMETHEUS_OWN = {"up"}
SUFFIXES = ("_bucket", "_count", "_sum", "_total", "_created")


def promtool(*arguments: str, cwd: Path = PROMETHEUS) -> str:
    tool = shutil.which("promtool")
    assert tool, "install promtool (Debian and Ubuntu: apt-get install prometheus)"
    result = subprocess.run(  # noqa: S603
        [tool, *arguments], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_configuration_loads_every_rule_file() -> None:
    output = promtool("check", "config", "prometheus.yml")

    for rules in RULES:
        assert f"rules/{rules.name}" in output


@pytest.mark.parametrize("rules", RULES, ids=lambda path: path.stem)
def test_the_rules_fire_and_hold_as_their_tests_say(rules: Path) -> None:
    tests = PROMETHEUS / "tests" / rules.name
    assert tests.is_file(), f"{rules.name} has no promtool tests in tests/"
    tested = yaml.safe_load(tests.read_text())
    groups = yaml.safe_load(rules.read_text())["groups"]
    alerts = {rule["alert"] for group in groups for rule in group["rules"]}
    fired = {
        case["alertname"]
        for test in tested["tests"]
        for case in test["alert_rule_test"]
        if case["exp_alerts"]
    }
    held = {
        case["alertname"]
        for test in tested["tests"]
        for case in test["alert_rule_test"]
        if not case["exp_alerts"]
    }

    assert alerts == fired, "every alert is seen firing"
    assert alerts <= held | fired
    promtool("test", "rules", tests.name, cwd=tests.parent)


def test_the_rules_ask_only_for_metrics_the_service_exports(client: TestClient) -> None:
    client.get("/api/v1/health")  # a request, so the request metrics have a series
    lines = client.get("/metrics").text.splitlines()
    # Every metric's name as declared (a labelled one may have no series yet) and as sampled.
    exported = {line.split()[2] for line in lines if line.startswith("# TYPE ")}
    exported |= {re.split(r"[{ ]", line)[0] for line in lines if not line.startswith("#")}
    for rules in RULES:
        for group in yaml.safe_load(rules.read_text())["groups"]:
            for rule in group["rules"]:
                for name in metrics_in(rule["expr"]) - PROMETHEUS_OWN:
                    assert {name, family(name)} & exported, f"{rules.name}: {name} is not exported"


def family(name: str) -> str:
    """The metric a series belongs to, as ``# TYPE`` names it."""
    return next((name.removesuffix(s) for s in SUFFIXES if name.endswith(s)), name)


def metrics_in(expression: str) -> set[str]:
    """The metric names an expression reads (not its functions, labels or keywords)."""
    without_labels = re.sub(r"\{[^}]*\}", "{}", expression)
    without_groupings = re.sub(r"\b(?:by|without|on|ignoring)\s*\([^)]*\)", "", without_labels)
    words = set(re.findall(r"\b[a-z_][a-z0-9_]*\b", without_groupings))
    functions = set(re.findall(r"\b([a-z_][a-z0-9_]*)\s*\(", without_groupings))
    keywords = {"and", "or", "unless", "bool", "offset"}
    return words - functions - keywords
