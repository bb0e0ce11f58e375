"""The Grafana dashboards (``deploy/grafana``): every panel's PromQL is valid (promtool parses it
as a recording rule) and reads only metrics the service exports; the provisioning names the
data source the panels use."""

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from support.promql import exported_metrics, is_exported, metrics_in, promtool

GRAFANA = Path(__file__).parents[2] / "deploy" / "grafana"
DASHBOARDS = sorted((GRAFANA / "dashboards").glob("*.json"))
# Grafana's variables, as Prometheus would see them once Grafana has filled them in.
VARIABLES = {"$__rate_interval": "5m", "$job": "service"}


def expressions(dashboard: Path) -> list[str]:
    board: dict[str, Any] = json.loads(dashboard.read_text())
    found = [target["expr"] for panel in board["panels"] for target in panel["targets"]]
    assert found, f"{dashboard.name} has no panel"
    return found


def filled(expression: str) -> str:
    for variable, value in VARIABLES.items():
        expression = expression.replace(variable, value)
    return expression


@pytest.mark.parametrize("dashboard", DASHBOARDS, ids=lambda path: path.stem)
def test_every_panel_query_is_valid_promql(dashboard: Path, tmp_path: Path) -> None:
    rules = [
        {"record": f"panel:{index}", "expr": filled(expression)}
        for index, expression in enumerate(expressions(dashboard))
    ]
    panels = {"groups": [{"name": "panels", "rules": rules}]}
    (tmp_path / "panels.yml").write_text(yaml.safe_dump(panels))

    promtool("check", "rules", "panels.yml", cwd=tmp_path)


def test_the_panels_read_only_metrics_the_service_exports(client: TestClient) -> None:
    exported = exported_metrics(client)
    for dashboard in DASHBOARDS:
        for expression in expressions(dashboard):
            for name in metrics_in(filled(expression)):
                assert is_exported(name, exported), f"{dashboard.name}: {name} is not exported"


def test_the_panels_use_the_provisioned_data_source() -> None:
    provisioned = yaml.safe_load((GRAFANA / "provisioning/datasources/prometheus.yml").read_text())
    uids = {source["uid"] for source in provisioned["datasources"]}
    for dashboard in DASHBOARDS:
        for panel in json.loads(dashboard.read_text())["panels"]:
            assert panel["datasource"]["uid"] in uids, (dashboard.name, panel["title"])
