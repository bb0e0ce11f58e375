"""The rendered project's deployment and tooling files: docker-compose.yml, the Prometheus config
it mounts, and .pre-commit-config.yaml. Validated offline, with schemas shipped by PyPI packages
(check-jsonschema vendors the Compose specification; pre-commit validates its own config)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from .matrix import Answers, case_id
from .template import bake, recorded_answers

# The answers these files depend on: the run command in the mypy hook follows the dependency
# manager; the Python version reaches the image the compose file builds; the database and the
# event broker add services and volumes.
DEPLOY_CASES: list[Answers] = [
    {},
    {"python_version": "3.13"},
    {"dependency_manager": "uv"},
    {"dependency_manager": "uv", "python_version": "3.13"},
    {"database": "postgresql"},
    {"database": "none"},
    *({"event_broker": broker} for broker in ("kafka", "rabbitmq", "nats", "redis")),
]
COMMAND_TIMEOUT = 120
CONFIG_IN_CONTAINER = "/etc/prometheus/prometheus.yml"  # where the image's default CMD reads it
EXACT_TAG = re.compile(r"v\d+\.\d+\.\d+")


@pytest.fixture(scope="module", params=DEPLOY_CASES, ids=case_id)
def project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Rendered once per answer set; tests that change a file work on a copy."""
    return bake(tmp_path_factory.mktemp("deploy"), request.param)


def load_yaml(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return loaded


def compose_fragments(project: Path) -> list[Path]:
    """The files docker-compose.yml includes, in the order Compose merges them."""
    [include] = load_yaml(project / "docker-compose.yml")["include"]
    assert include["project_directory"] == "."  # relative paths are the project's
    return [project / path for path in include["path"]]


def merged(base: Any, override: Any) -> Any:
    """Compose's merge, as far as the fragments use it: mappings key by key, lists appended."""
    if isinstance(base, dict) and isinstance(override, dict):
        keys = [*base, *(key for key in override if key not in base)]
        return {
            key: merged(base[key], override[key])
            if key in base and key in override
            else override.get(key, base.get(key))
            for key in keys
        }
    if isinstance(base, list) and isinstance(override, list):
        return [*base, *override]
    return override


@pytest.fixture
def compose(project: Path) -> dict[str, Any]:
    """The model Compose builds from the fragments."""
    model: dict[str, Any] = {}
    for fragment in compose_fragments(project):
        model = merged(model, load_yaml(fragment))
    return model


@pytest.fixture
def prometheus_config(project: Path) -> dict[str, Any]:
    return load_yaml(project / "deploy" / "prometheus" / "prometheus.yml")


@pytest.fixture
def pre_commit(project: Path) -> dict[str, Any]:
    return load_yaml(project / ".pre-commit-config.yaml")


def run_tool(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    tool = shutil.which(str(command[0]))
    assert tool is not None, f"{command[0]} is not installed (it is in the dev group)"
    return subprocess.run(
        [tool, *map(str, command[1:])],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=COMMAND_TIMEOUT,
    )


def validate_compose(path: Path) -> subprocess.CompletedProcess[str]:
    return run_tool(
        "check-jsonschema", "--builtin-schema", "vendor.compose-spec", path, cwd=path.parent
    )


def validate_pre_commit(path: Path) -> subprocess.CompletedProcess[str]:
    return run_tool("pre-commit", "validate-config", path, cwd=path.parent)


def hooks_by_id(pre_commit: dict[str, Any]) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """Each hook id with its repo entry and its own entry."""
    return {hook["id"]: (repo, hook) for repo in pre_commit["repos"] for hook in repo["hooks"]}


# docker-compose.yml


def test_compose_files_match_the_compose_specification(project: Path) -> None:
    for path in (project / "docker-compose.yml", *compose_fragments(project)):
        result = validate_compose(path)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_servers_the_tests_need_are_compose_services(
    project: Path, compose: dict[str, Any]
) -> None:
    """``make test-services`` (run by CI on GitHub) starts them from docker-compose.yml."""
    [line] = [
        line
        for line in (project / "Makefile").read_text().splitlines()
        if line.startswith("TEST_SERVICES :=")
    ]
    servers = line.removeprefix("TEST_SERVICES :=").split()
    assert set(servers) <= set(compose["services"])
    for server in servers:  # published on loopback, where the tests look by default
        assert any(port.startswith("127.0.0.1:") for port in compose["services"][server]["ports"])


def test_compose_includes_every_fragment_the_project_has(project: Path) -> None:
    fragments = set((project / "deploy" / "compose").glob("*.yml"))
    assert set(compose_fragments(project)) == fragments
    assert compose_fragments(project)[0].name == "service.yml"  # the others add to it


def test_compose_validator_rejects_an_invalid_file(project: Path, tmp_path: Path) -> None:
    """The schema check above is live: the same file with a misspelt key fails it."""
    text = (project / "deploy" / "compose" / "service.yml").read_text("utf-8")
    broken = tmp_path / "service.yml"
    broken.write_text(text.replace("read_only:", "readonly:", 1), "utf-8")
    result = validate_compose(broken)
    assert result.returncode != 0
    assert "readonly" in result.stdout + result.stderr


DATABASE_SERVICES = {"postgresql": {"migrate", "postgres"}, "sqlite": set(), "none": set()}
# Each broker: its service, and the variable that points the service at it.
BROKERS = {
    "kafka": ("kafka", "KAFKA_BOOTSTRAP_SERVERS"),
    "rabbitmq": ("rabbitmq", "RABBITMQ_URL"),
    "nats": ("nats", "NATS_SERVERS"),
    "redis": ("redis", "REDIS_URL"),
}


def test_compose_runs_the_service_hardened(project: Path, compose: dict[str, Any]) -> None:
    assert "version" not in compose  # obsolete in the Compose specification
    answers = recorded_answers(project)
    database, broker = answers["database"], BROKERS.get(answers["event_broker"])
    assert set(compose["services"]) == {
        "service",
        "prometheus",
        "grafana",
        *DATABASE_SERVICES[database],
        *([broker[0]] if broker else []),
    }
    service = compose["services"]["service"]

    assert service["build"]["context"] == "."
    assert (project / service["build"]["dockerfile"]).is_file()
    assert service["environment"]["ENVIRONMENT"] == "production"
    assert int(service["environment"]["WORKERS"]) == 2
    assert service["ports"] == ["127.0.0.1:8000:8000"]
    assert service["read_only"] is True
    assert [mount.split(":")[0] for mount in service["tmpfs"]] == ["/tmp"]
    assert service["restart"] == "unless-stopped"
    assert service["stop_grace_period"] == "35s"
    assert service["cap_drop"] == ["ALL"]
    assert "no-new-privileges:true" in service["security_opt"]
    # The same unprivileged user the image declares.
    dockerfile = (project / "Dockerfile").read_text("utf-8")
    assert f"\nUSER {service['user']}\n" in dockerfile
    assert service["user"].split(":")[0] == "10001"


def test_compose_healthcheck_probes_liveness(compose: dict[str, Any]) -> None:
    test = compose["services"]["service"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    code = test[3]
    assert "urllib.request.urlopen('http://127.0.0.1:8000/health/live'" in code
    compile(code, "<healthcheck>", "exec")  # a syntax error would only show as "unhealthy"


def test_compose_runs_a_pinned_prometheus(project: Path, compose: dict[str, Any]) -> None:
    prometheus = compose["services"]["prometheus"]
    image, _, tag = prometheus["image"].partition(":")
    assert image == "prom/prometheus"
    assert EXACT_TAG.fullmatch(tag), tag
    assert tag.startswith("v3.")
    assert prometheus["ports"] == ["127.0.0.1:9090:9090"]

    mounts = [volume.split(":") for volume in prometheus["volumes"]]
    config_mounts = [mount for mount in mounts if mount[1] == CONFIG_IN_CONTAINER]
    assert len(config_mounts) == 1
    source, _, mode = config_mounts[0]
    assert mode == "ro"
    expected = project / "deploy" / "prometheus" / "prometheus.yml"
    assert (project / source).resolve() == expected.resolve()
    assert (project / source).is_file()


def test_compose_runs_a_pinned_grafana_with_the_dashboards(
    project: Path, compose: dict[str, Any]
) -> None:
    grafana = compose["services"]["grafana"]
    image, _, tag = grafana["image"].partition(":")
    assert image == "grafana/grafana"
    assert re.fullmatch(r"\d+\.\d+\.\d+", tag), tag  # Grafana's tags have no "v"
    assert grafana["ports"] == ["127.0.0.1:3000:3000"]
    mounts = {target: source for source, target, *_ in (v.split(":") for v in grafana["volumes"])}
    assert (project / mounts["/etc/grafana/provisioning"] / "datasources").is_dir()
    assert any((project / mounts["/var/lib/grafana/dashboards"]).glob("*.json"))
    rules = compose["services"]["prometheus"]["volumes"]
    assert "./deploy/prometheus/rules:/etc/prometheus/rules:ro" in rules


def test_compose_keeps_the_database(project: Path, compose: dict[str, Any]) -> None:
    answers = recorded_answers(project)
    services = compose["services"]
    if answers["database"] == "sqlite":
        # The image points DATABASE_URL into /data; compose mounts a named volume there.
        dockerfile = (project / "Dockerfile").read_text("utf-8")
        assert "ENV DATABASE_URL=sqlite+aiosqlite:////data/" in dockerfile
        assert "VOLUME /data" in dockerfile
        assert services["service"]["volumes"] == ["service-data:/data"]
        assert "service-data" in compose["volumes"]
    elif answers["database"] == "postgresql":
        # PostgreSQL healthy, then migrations, then the service, all on the same URL.
        postgres, migrate, service = services["postgres"], services["migrate"], services["service"]
        assert postgres["image"] == "postgres:17"
        assert postgres["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
        assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}
        assert migrate["command"] == ["python", "-m", answers["package_name"], "migrate"]
        assert service["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
        url = service["environment"]["DATABASE_URL"]
        assert url == migrate["environment"]["DATABASE_URL"]
        assert url.startswith("postgresql+asyncpg://")
        assert "@postgres:5432/" in url
        assert "postgres-data" in compose["volumes"]
    else:
        assert "volumes" not in services["service"]


def test_compose_runs_the_broker_before_the_service(project: Path, compose: dict[str, Any]) -> None:
    broker = BROKERS.get(recorded_answers(project)["event_broker"])
    if broker is None:
        return
    name, variable = broker
    services = compose["services"]
    assert re.search(r":\d+\.\d+", services[name]["image"])  # a pinned release
    assert services[name]["healthcheck"]["test"][0] in ("CMD", "CMD-SHELL")
    assert services["service"]["depends_on"][name] == {"condition": "service_healthy"}
    assert f"{name}:" in services["service"]["environment"][variable]  # by its service name
    [volume] = services[name]["volumes"]
    assert volume.split(":")[0] in compose["volumes"]  # what it keeps outlives the container


def test_only_loopback_ports_are_published(compose: dict[str, Any]) -> None:
    published = [
        port for service in compose["services"].values() for port in service.get("ports", [])
    ]
    assert published
    assert all(port.startswith("127.0.0.1:") for port in published), published


# deploy/prometheus/prometheus.yml


def test_prometheus_scrapes_the_service(
    project: Path, prometheus_config: dict[str, Any], compose: dict[str, Any]
) -> None:
    assert prometheus_config["global"]["scrape_interval"] == "15s"
    assert prometheus_config["global"]["evaluation_interval"] == "15s"
    [job] = prometheus_config["scrape_configs"]
    assert job["job_name"] == project.name
    assert job["metrics_path"] == "/metrics"
    [static] = job["static_configs"]
    assert static["targets"] == ["service:8000"]

    # The target is the compose service, on the port it listens on inside the network.
    host, port = static["targets"][0].split(":")
    container_ports = {mapping.rsplit(":", 1)[1] for mapping in compose["services"][host]["ports"]}
    assert port in container_ports


# .pre-commit-config.yaml


def test_pre_commit_config_is_valid(project: Path) -> None:
    result = validate_pre_commit(project / ".pre-commit-config.yaml")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "[WARNING]" not in output  # e.g. a mutable rev, which pre-commit accepts


def test_pre_commit_validator_rejects_an_invalid_file(project: Path, tmp_path: Path) -> None:
    """The validation above is live: the same file with a repo missing its rev fails it."""
    text = (project / ".pre-commit-config.yaml").read_text("utf-8")
    broken = tmp_path / ".pre-commit-config.yaml"
    broken.write_text(re.sub(r"(?m)^\s*rev: .*\n", "", text, count=1), "utf-8")
    result = validate_pre_commit(broken)
    assert result.returncode != 0
    assert "rev" in result.stdout + result.stderr


def test_pre_commit_revs_are_exact_releases(pre_commit: dict[str, Any]) -> None:
    remote = [repo for repo in pre_commit["repos"] if repo["repo"] != "local"]
    assert {repo["repo"] for repo in remote} == {
        "https://github.com/pre-commit/pre-commit-hooks",
        "https://github.com/astral-sh/ruff-pre-commit",
    }
    for repo in remote:
        assert EXACT_TAG.fullmatch(repo["rev"]), repo


def test_pre_commit_has_the_hygiene_hooks(pre_commit: dict[str, Any]) -> None:
    hooks = hooks_by_id(pre_commit)
    for hook_id in (
        "check-yaml",
        "check-toml",
        "end-of-file-fixer",
        "trailing-whitespace",
        "check-added-large-files",
    ):
        repo, _ = hooks[hook_id]
        assert repo["repo"] == "https://github.com/pre-commit/pre-commit-hooks", hook_id


def test_pre_commit_ruff_matches_the_project_ruff(
    project: Path, pre_commit: dict[str, Any]
) -> None:
    hooks = hooks_by_id(pre_commit)
    ruff_repo, ruff_check = hooks["ruff-check"]
    format_repo, _ = hooks["ruff-format"]
    assert ruff_repo is format_repo
    assert "--fix" in ruff_check["args"]

    pyproject = tomllib.loads((project / "pyproject.toml").read_text("utf-8"))
    [requirement] = [
        dep for dep in pyproject["dependency-groups"]["dev"] if re.match(r"ruff\b", dep)
    ]
    allowed = SpecifierSet(requirement.removeprefix("ruff"))
    rev = Version(ruff_repo["rev"].removeprefix("v"))
    assert rev in allowed, (rev, requirement)
    [lower] = [spec.version for spec in allowed if spec.operator == ">="]
    assert rev.release[:2] == Version(lower).release[:2]  # same minor: same rules and format


def test_pre_commit_mypy_runs_in_the_project_environment(
    project: Path, pre_commit: dict[str, Any]
) -> None:
    repo, mypy = hooks_by_id(pre_commit)["mypy"]
    assert repo["repo"] == "local"
    assert mypy["language"] == "system"
    assert mypy["pass_filenames"] is False  # the files come from [tool.mypy] in pyproject.toml
    assert mypy["types"] == ["python"]
    manager = recorded_answers(project)["dependency_manager"]
    assert mypy["entry"] == f"{manager} run mypy"
