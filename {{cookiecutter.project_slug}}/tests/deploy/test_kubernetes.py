"""The Kubernetes manifests (``deploy/k8s``): every overlay builds with kustomize and passes the
Kubernetes API's schemas strictly (an unknown field fails), and what they say agrees with the
service: its probe paths, its port, its labels, its shutdown, how it scales."""

import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.config import Environment, Settings

from support.servers import WORKER_COUNTS

# The oldest Kubernetes the manifests are written for (the preStop `sleep` action needs 1.30).
KUBERNETES_VERSION = "1.32"
K8S = Path(__file__).parents[2] / "deploy" / "k8s"
OVERLAYS = sorted(path.name for path in (K8S / "overlays").iterdir())
# Kinds that are not part of Kubernetes itself (custom resources), so not in its schemas.
CUSTOM_KINDS = {"ServiceMonitor"}
Resource = dict[str, Any]


def kustomize(folder: Path) -> list[Resource]:
    """What ``kubectl apply -k folder`` would apply."""
    kubectl = shutil.which("kubectl")
    assert kubectl, "install kubectl (it has kustomize built in): kubernetes.io/docs/tasks/tools"
    built = subprocess.run(  # noqa: S603
        [kubectl, "kustomize", str(folder)], capture_output=True, text=True, check=False
    )
    assert built.returncode == 0, built.stderr
    return [resource for resource in yaml.safe_load_all(built.stdout) if resource]


@pytest.fixture(scope="module", params=OVERLAYS)
def resources(request: pytest.FixtureRequest) -> list[Resource]:
    return kustomize(K8S / "overlays" / request.param)


def of_kind(resources: list[Resource], kind: str) -> list[Resource]:
    return [resource for resource in resources if resource["kind"] == kind]


def api(resources: list[Resource]) -> Resource:
    [deployment] = [
        resource
        for resource in of_kind(resources, "Deployment")
        if resource["metadata"]["labels"]["app.kubernetes.io/component"] == "api"
    ]
    return deployment


def container(deployment: Resource) -> Resource:
    first: Resource = deployment["spec"]["template"]["spec"]["containers"][0]
    return first


def settings(resources: list[Resource]) -> dict[str, str]:
    """The service's settings, from the ConfigMap its containers read."""
    [config] = of_kind(resources, "ConfigMap")
    data: dict[str, str] = config["data"]
    return data


def pod_specs(resources: list[Resource]) -> list[Resource]:
    return [
        resource["spec"]["template"]["spec"]
        for resource in resources
        if resource["kind"] in {"Deployment", "Job"}
    ]


def test_every_resource_passes_the_kubernetes_schemas_strictly(resources: list[Resource]) -> None:
    for resource in resources:
        if resource["kind"] not in CUSTOM_KINDS:
            kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)


def test_the_validation_rejects_an_unknown_field() -> None:
    broken = yaml.safe_load((Path(__file__).parent / "broken_deployment.yaml").read_text())

    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_the_probes_ask_the_apps_own_paths(resources: list[Resource], client: TestClient) -> None:
    """Liveness never checks a dependency (a database away would restart every pod); readiness
    does. Both paths answer in the app (the test client's: its lifespan run)."""
    service = container(api(resources))

    assert service["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert service["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert service[probe]["httpGet"]["port"] == "http"
        assert client.get(service[probe]["httpGet"]["path"]).status_code == 200


def configured(resources: list[Resource]) -> Settings:
    """The service's settings as the ConfigMap gives them (validated as at startup)."""
    given = {name.lower(): value for name, value in settings(resources).items()}
    return Settings.model_validate({k: v for k, v in given.items() if k in Settings.model_fields})


def test_the_settings_are_valid_and_bind_the_container_port(resources: list[Resource]) -> None:
    service = configured(resources)
    [port] = [p for p in container(api(resources))["ports"] if p["name"] == "http"]

    assert service.environment in {Environment.STAGING, Environment.PRODUCTION}
    assert port["containerPort"] == service.port
    assert service.host == "0.0.0.0"  # noqa: S104 (reachable on the pod's network)


def test_selectors_match_the_pods_labels(resources: list[Resource]) -> None:
    api_labels = api(resources)["spec"]["template"]["metadata"]["labels"]
    for deployment in of_kind(resources, "Deployment"):
        selector = deployment["spec"]["selector"]["matchLabels"]
        assert selector.items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
    [service] = of_kind(resources, "Service")
    assert service["spec"]["selector"].items() <= api_labels.items()
    assert {port["targetPort"] for port in service["spec"]["ports"]} == {"http"}
    for budget in of_kind(resources, "PodDisruptionBudget"):
        assert budget["spec"]["selector"]["matchLabels"].items() <= api_labels.items()


def test_autoscaling_has_cpu_requests_or_one_pod_where_one_must_serve(
    resources: list[Resource],
) -> None:
    """An HPA without CPU requests cannot scale; what keeps state in one process or on a volume
    one node mounts runs as one pod, without an HPA."""
    deployment = api(resources)
    volumes = deployment["spec"]["template"]["spec"]["volumes"]
    single = WORKER_COUNTS == (1,) or any("persistentVolumeClaim" in v for v in volumes)
    autoscalers = of_kind(resources, "HorizontalPodAutoscaler")
    if single:
        assert autoscalers == []
        assert deployment["spec"]["replicas"] == 1
        return
    [autoscaler] = autoscalers
    target = autoscaler["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
    assert "replicas" not in deployment["spec"]  # the autoscaler sets them
    for each in deployment["spec"]["template"]["spec"]["containers"]:
        assert each["resources"]["requests"]["cpu"]


def test_the_grace_period_outlasts_the_pause_and_the_servers_own(
    resources: list[Resource],
) -> None:
    deployment = api(resources)
    pause = container(deployment)["lifecycle"]["preStop"]["sleep"]["seconds"]
    graceful = configured(resources).graceful_timeout

    assert deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] > (
        pause + graceful
    )


def test_every_pod_runs_restricted_with_resources_set(resources: list[Resource]) -> None:
    for spec in pod_specs(resources):
        assert spec["automountServiceAccountToken"] is False
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["runAsUser"] > 0
        assert spec["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
        for each in spec["containers"]:
            security = each["securityContext"]
            assert security["allowPrivilegeEscalation"] is False
            assert security["readOnlyRootFilesystem"] is True
            assert security["capabilities"]["drop"] == ["ALL"]
            assert {"cpu", "memory"} <= each["resources"]["requests"].keys()
            assert {"cpu", "memory"} <= each["resources"]["limits"].keys()


def test_secrets_are_referenced_never_written(resources: list[Resource]) -> None:
    assert of_kind(resources, "Secret") == []
    for spec in pod_specs(resources):
        for each in spec["containers"]:
            assert any("secretRef" in source for source in each["envFrom"])


def test_the_optional_service_monitor_scrapes_the_services_metrics_port() -> None:
    [monitor] = yaml.safe_load_all((K8S / "components/monitoring/servicemonitor.yaml").read_text())
    [service] = yaml.safe_load_all((K8S / "base/service.yaml").read_text())

    assert monitor["spec"]["selector"]["matchLabels"] == service["spec"]["selector"]
    assert {e["port"] for e in monitor["spec"]["endpoints"]} <= {
        port["name"] for port in service["spec"]["ports"]
    }
    assert {e["path"] for e in monitor["spec"]["endpoints"]} == {"/metrics"}
