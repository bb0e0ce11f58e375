"""A registry and its members as rendered services, each a real server on a loopback socket:
members register themselves, the registry checks them, merges their APIs, forgets them when it
restarts and learns of them again, and drops them when they stop or die."""

from __future__ import annotations

import hashlib
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


def server(tmp_path: Path, name: str, answers: dict[str, Any], **env: str) -> Server:
    """The project rendered with ``answers``, installed in an environment of its own, ready to
    serve as in production."""
    project = bake(tmp_path / name / "render", {**COMMON, **answers})
    python, _ = installed(project, PYTHON, tmp_path / name / "venv")
    package = json.loads((project / ".cookiecutter.json").read_text())["cookiecutter"]
    command = [str(python), "-m", package["package_name"]]
    return Server(name, command, {"ENVIRONMENT": "production", **env}, cwd=tmp_path)


def member(rendered: Server, registry: Server, name: str, **env: str) -> Server:
    """Another instance of the rendered member: service ``name``, registering with
    ``registry`` every second and asking to be checked every second."""
    instance = Server(name, rendered.command, cwd=rendered.cwd)
    instance.env = {
        **rendered.env,
        "SERVICE_NAME": name,
        "DOCS_ENABLED": "true",
        "REGISTRY_URL": registry.url,
        "SERVICE_URL": instance.url,
        "SERVICE_ID": f"{name}-1",
        "REGISTRY_REFRESH_SECONDS": "1",
        "REGISTRY_CHECK_INTERVAL": "1",
        "REGISTRY_DEREGISTER_AFTER": "2",
        **env,
    }
    return instance


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
    registry = server(tmp_path, "registry", {"service_registry": "server"}, REGISTRY_FLIP_AFTER="1")
    rendered = server(tmp_path, "member", {"service_registry": "client"})
    billing = member(rendered, registry, "billing", SERVICE_TAGS="eu,payments")
    search = member(rendered, registry, "search", SERVICE_TAGS="eu")
    try:
        for started in (registry, billing, search):
            started.start()
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
        run([registry.command[0], "-c", validate], cwd=tmp_path)

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
        for stopped in (billing, search, registry):
            stopped.stop()


def test_with_authentication_only_a_member_with_the_scope_registers(tmp_path: Path) -> None:
    secrets = {"registrar": "s3cret-registrar", "reader": "s3cret-reader"}
    scopes = {"registrar": ["registry:write"], "reader": []}
    keys = {
        key: {"hash": hashlib.sha256(secret.encode()).hexdigest(), "scopes": scopes[key]}
        for key, secret in secrets.items()
    }
    registry = server(
        tmp_path,
        "registry",
        {"service_registry": "server", "auth": "api_key"},
        AUTH_API_KEYS=json.dumps(keys),
    )
    rendered = server(tmp_path, "member", {"service_registry": "client"})
    allowed = member(
        rendered, registry, "billing", REGISTRY_API_KEY=f"registrar.{secrets['registrar']}"
    )
    refused = member(rendered, registry, "search", REGISTRY_API_KEY=f"reader.{secrets['reader']}")
    try:
        for started in (registry, allowed, refused):
            started.start()
        eventually(lambda: set(listed(registry)) == {"billing-1"})
        time.sleep(2)  # the other has tried twice by now
        assert set(listed(registry, status="any")) == {"billing-1"}
    finally:
        for stopped in (allowed, refused, registry):
            stopped.stop()
