"""The alert rules (``deploy/prometheus/rules``): valid, loaded by the Prometheus configuration,
each file unit-tested by promtool with series that fire its alerts and series that must not,
and asking only for metrics the service exports."""

from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from support.promql import exported_metrics, is_exported, metrics_in, promtool

PROMETHEUS = Path(__file__).parents[2] / "deploy" / "prometheus"
RULES = sorted((PROMETHEUS / "rules").glob("*.yml"))


def test_the_configuration_loads_every_rule_file() -> None:
    output = promtool("check", "config", "prometheus.yml", cwd=PROMETHEUS)

    for rules in RULES:
        assert f"rules/{rules.name}" in output


@pytest.mark.parametrize("rules", RULES, ids=lambda path: path.stem)
def test_the_rules_fire_and_hold_as_their_tests_say(rules: Path) -> None:
    tests = PROMETHEUS / "tests" / rules.name
    assert tests.is_file(), f"{rules.name} has no promtool tests in tests/"
    tested = yaml.safe_load(tests.read_text())
    groups = yaml.safe_load(rules.read_text())["groups"]
    alerts = {rule["alert"] for group in groups for rule in group["rules"]}
    cases = [case for test in tested["tests"] for case in test["alert_rule_test"]]
    fired = {case["alertname"] for case in cases if case["exp_alerts"]}
    held = {case["alertname"] for case in cases if not case["exp_alerts"]}

    assert alerts == fired, "every alert is seen firing"
    assert alerts <= held | fired
    promtool("test", "rules", tests.name, cwd=tests.parent)


def test_the_rules_ask_only_for_metrics_the_service_exports(client: TestClient) -> None:
    exported = exported_metrics(client)
    for rules in RULES:
        for group in yaml.safe_load(rules.read_text())["groups"]:
            for rule in group["rules"]:
                for name in metrics_in(rule["expr"]):
                    assert is_exported(name, exported), f"{rules.name}: {name} is not exported"
