"""A registry and its members as rendered services, each a real server on a loopback socket:
members register themselves, the registry checks them, merges their APIs, forgets them when it
restarts and learns of them again, and drops them when they stop or die."""

from __future__ import annotations

import json
import signal
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.servers import Server

from .environments import installed, run
from .template import bake

PYTHON = "3.12"
COMMON = {"dependency_manager": "uv", "database": "none", "init_git": False}


def eventually(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition did not come true in time"
        time.sleep(0.1)


def service(tmp_path: Path, name: str, answers: dict[str, Any]) -> tuple[Path, Path]:
    """The project rendered with ``answers`` and the interpreter of its own environment."""
    project = bake(tmp_path / name / "render", {**COMMON, **answers})
    python, _ = installed(project, PYTHON, tmp_path / name / "venv")
    return project, python


def get(url: str, **query: str) -> Any:
    with urllib.request.urlopen(f"{url}?{urllib.parse.urlencode(query)}", timeout=10) as answer:
        return json.load(answer)


def listed(registry: Server, **query: str) -> dict[str, dict[str, Any]]:
    """The registered instances by id (passing ones unless ``query`` says otherwise); none
    while the registry is away."""
    try:
        return {entry["id"]: entry for entry in get(f"{registry.url}/api/v1/services", **query)}
    except (urllib.error.URLError, ConnectionError):
        return {}


def status(registry: Server, service_id: str) -> str | None:
    entry = listed(registry, status="any").get(service_id)
    return None if entry is None else str(entry["health"]["status"])


def test_members_register_and_a_restarted_registry_learns_of_them_again(tmp_path: Path) -> None:
    registry_project, registry_python = service(
        tmp_path, "registry", {"service_registry": "server"}
    )
    member_project, member_python = service(tmp_path, "member", {"service_registry": "client"})
    package = json.loads((registry_project / ".cookiecutter.json").read_text())["cookiecutter"][
        "package_name"
    ]
    member_package = json.loads((member_project / ".cookiecutter.json").read_text())[
        "cookiecutter"
    ]["package_name"]
    registry = Server(
        "registry",
        [str(registry_python), "-m", package],
        {"ENVIRONMENT": "production", "REGISTRY_FLIP_AFTER": "1"},
        cwd=tmp_path,
    )
    members = []
    for name, tags in (("billing", "eu,payments"), ("search", "eu")):
        member = Server(name, [str(member_python), "-m", member_package], cwd=tmp_path)
        member.env = {
            "ENVIRONMENT": "production",
            "SERVICE_NAME": name,
            "DOCS_ENABLED": "true",
            "REGISTRY_URL": registry.url,
            "SERVICE_URL": member.url,
            "SERVICE_ID": f"{name}-1",
            "SERVICE_TAGS": tags,
            "REGISTRY_REFRESH_SECONDS": "1",
            "REGISTRY_CHECK_INTERVAL": "1",
            "REGISTRY_DEREGISTER_AFTER": "2",
        }
        members.append(member)
    billing, search = members
    try:
        registry.start()
        for member in members:
            member.start()
        eventually(lambda: set(listed(registry)) == {"billing-1", "search-1"})
        assert listed(registry)["billing-1"]["tags"] == ["eu", "payments"]
        assert set(listed(registry, tag="payments")) == {"billing-1"}

        # One API document for both, valid, though both serve /api/v1/items and its schemas.
        merged = get(f"{registry.url}/api/v1/openapi")
        assert merged["x-registry-unavailable"] == {}
        assert {"/billing/api/v1/items", "/search/api/v1/items"} <= set(merged["paths"])
        # Checked with the validator the registry's own tests use, in its environment.
        (tmp_path / "merged.json").write_text(json.dumps(merged))
        validate = (
            "import json, openapi_spec_validator as v; v.validate(json.load(open('merged.json')))"
        )
        run([registry_python, "-c", validate], cwd=tmp_path)

        # The registry keeps them in memory: restarted, it is empty until they register again.
        registry.stop()
        registry.start()
        eventually(lambda: set(listed(registry)) == {"billing-1", "search-1"})

        # A member that stops deregisters itself; one that dies is dropped after 2 s critical.
        billing.stop()
        assert status(registry, "billing-1") is None
        assert search.process is not None
        search.process.send_signal(signal.SIGKILL)
        search.process.wait()
        eventually(lambda: status(registry, "search-1") == "critical")
        eventually(lambda: status(registry, "search-1") is None)
    finally:
        for server in (*members, registry):
            server.stop()
