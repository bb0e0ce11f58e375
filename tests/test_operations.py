"""Every answer set's operations files pass their validators without installing anything: the
Kubernetes manifests (each overlay built by kubectl's kustomize, validated strictly against the
Kubernetes API's schemas), the alert rules (promtool's checks and unit tests) and the dashboards'
queries (promtool). Each rendered project's own tests check them further, in the cases that run
them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from .matrix import Answers, cases
from .template import bake, recorded_answers

KUBERNETES_VERSION = "1.32"
CUSTOM_KINDS = {"ServiceMonitor"}
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$job": "service"}


@pytest.fixture(scope="module", params=cases(files_only=True))
def project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    # The files are checked, not run.
    return bake(tmp_path_factory.mktemp("render"), {**request.param, "init_git": False})


def tool(name: str, *arguments: str, cwd: Path) -> str:
    found = shutil.which(name)
    assert found, (
        f"{name} is needed: kubectl (with kustomize), promtool (apt-get install prometheus)"
    )
    result = subprocess.run(
        [found, *arguments], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_kubernetes_overlays_build_and_validate(project: Path) -> None:
    overlays = project / "deploy" / "k8s" / "overlays"
    answers: Answers = recorded_answers(project)
    if answers["kubernetes"] == "no":
        assert not (project / "deploy" / "k8s").exists()
        return
    for overlay in sorted(overlays.iterdir()):
        built = tool("kubectl", "kustomize", str(overlay), cwd=project)
        resources: list[dict[str, Any]] = [r for r in yaml.safe_load_all(built) if r]
        assert {"Deployment", "Service", "ConfigMap"} <= {r["kind"] for r in resources}
        for resource in resources:
            if resource["kind"] not in CUSTOM_KINDS:
                kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)


def test_the_alert_rules_load_and_pass_their_tests(project: Path) -> None:
    prometheus = project / "deploy" / "prometheus"
    tool("promtool", "check", "config", "prometheus.yml", cwd=prometheus)
    tests = sorted(path.name for path in (prometheus / "tests").glob("*.yml"))
    rules = sorted(path.name for path in (prometheus / "rules").glob("*.yml"))
    assert tests == rules
    tool("promtool", "test", "rules", *tests, cwd=prometheus / "tests")


def test_the_dashboards_queries_parse(project: Path, tmp_path: Path) -> None:
    expressions = []
    for dashboard in sorted((project / "deploy" / "grafana" / "dashboards").glob("*.json")):
        board = json.loads(dashboard.read_text())
        expressions += [target["expr"] for panel in board["panels"] for target in panel["targets"]]
    rules = []
    for index, expression in enumerate(expressions):
        for variable, value in GRAFANA_VARIABLES.items():
            expression = expression.replace(variable, value)
        rules.append({"record": f"panel:{index}", "expr": expression})
    (tmp_path / "panels.yml").write_text(
        yaml.safe_dump({"groups": [{"name": "p", "rules": rules}]})
    )

    tool("promtool", "check", "rules", "panels.yml", cwd=tmp_path)
