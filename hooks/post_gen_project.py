"""Finish the rendered project: prune unchosen options, record the answers, install, commit.

Cookiecutter runs this inside the new project and deletes the project if it exits non-zero, so
everything that depends on the user's machine (the dependency manager, git, the network) reports
its failure and tells the user the command to run later instead of failing the hook.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Filled in by cookiecutter. JSON escapes every quote, so the raw string always closes cleanly.
ANSWERS_JSON = r"""{{ cookiecutter | jsonify }}"""

PACKAGE = "src/{{cookiecutter.package_name}}"  # rendered, or the template's folder in tests
Answers = Mapping[str, Any]


@dataclass(frozen=True)
class Entry:
    """Files that belong to a feature or to an answer: kept when ``when(answers)`` holds and
    removed otherwise. ``variants`` maps a file that stands in for another to the file it
    replaces when ``when`` holds (the variant is removed otherwise)."""

    name: str
    when: Callable[[Answers], bool]
    paths: tuple[str, ...] = ()
    variants: Mapping[str, str] = field(default_factory=dict)


def answered(question: str, value: str) -> Callable[[Answers], bool]:
    return lambda answers: answers[question] == value


def archived_from(broker: str) -> Callable[[Answers], bool]:
    return lambda answers: answers["event_archive"] == "s3" and answers["event_broker"] == broker


# One entry per feature or per answer with files of its own. A new option adds its files to the
# template and its entries here; a file belongs to one entry at most.
MANIFEST: tuple[Entry, ...] = (
    Entry("GitHub Actions", lambda a: a["ci"] == "github", (".github/workflows/ci.yml",)),
    Entry("GitLab CI", lambda a: a["ci"] == "gitlab", (".gitlab-ci.yml",)),
    Entry("Poetry", lambda a: a["dependency_manager"] == "poetry", ("poetry.toml",)),
    Entry(
        "database",
        lambda a: a["database"] != "none",
        (
            f"{PACKAGE}/db",
            # Listed by file: features add their own migrations beside these.
            f"{PACKAGE}/migrations/env.py",
            f"{PACKAGE}/migrations/script.py.mako",
            f"{PACKAGE}/migrations/versions/0001_create_items.py",
            f"{PACKAGE}/models",
            f"{PACKAGE}/repositories/sql_items.py",
            "tests/db/test_database.py",
            "tests/db/test_first_run.py",
            "tests/db/test_pool_metrics.py",
            "tests/db/test_schema.py",
            "tests/db/test_session.py",
            "tests/repositories/test_sql_items.py",
            "tests/support/plugins/database.py",
            "tests/test_cli.py",
        ),
    ),
    Entry(
        "items in memory",
        lambda a: a["database"] == "none",
        variants={f"{PACKAGE}/api/v1/item_store.memory.py": f"{PACKAGE}/api/v1/item_store.py"},
    ),
    Entry("SQLite in Compose", lambda a: a["database"] == "sqlite", ("deploy/compose/sqlite.yml",)),
    Entry(
        "PostgreSQL",
        lambda a: a["database"] == "postgresql",
        ("deploy/compose/postgresql.yml", "tests/db/test_database_not_created.py"),
    ),
    Entry(
        "authentication",
        lambda a: a["auth"] != "none",
        (
            "deploy/compose/auth.yml",
            f"{PACKAGE}/auth/__init__.py",
            f"{PACKAGE}/auth/failures.py",
            f"{PACKAGE}/auth/feature.py",
            f"{PACKAGE}/auth/identity.py",
            f"{PACKAGE}/auth/scheme.py",
            f"{PACKAGE}/auth/scopes.py",
            f"{PACKAGE}/auth/stage.py",
            "tests/auth/test_fuzzing.py",
            "tests/auth/test_stage.py",
            "tests/auth/test_scopes.py",
            "tests/support/auth.py",
        ),
        variants={f"{PACKAGE}/api/v1/item_access.auth.py": f"{PACKAGE}/api/v1/item_access.py"},
    ),
    Entry(
        "bearer tokens",
        lambda a: a["auth"] in ("jwt", "jwt_and_api_key", "password"),
        tuple(
            f"{PACKAGE}/auth/bearer/{module}.py"
            for module in ("__init__", "key_files", "keys", "tokens")
        ),
    ),
    Entry(
        "bearer tokens from an identity provider",
        lambda a: a["auth"] in ("jwt", "jwt_and_api_key"),
        (
            *(
                f"{PACKAGE}/auth/bearer/{module}.py"
                for module in ("dev_tokens", "scheme", "settings")
            ),
            "tests/auth/bearer",
            "tests/support/bearer.py",
            "tests/support/plugins/bearer.py",
        ),
        # The tests change items with a bearer token where there are bearer tokens.
        variants={"tests/support/credentials.bearer.py": "tests/support/credentials.py"},
    ),
    Entry(
        "accounts",
        answered("auth", "password"),
        (
            *(
                f"{PACKAGE}/accounts/{module}.py"
                for module in (
                    "__init__",
                    "access_tokens",
                    "commands",
                    "feature",
                    "keys",
                    "login_limits",
                    "passwords",
                    "records",
                    "refresh_store",
                    "refresh_tokens",
                    "routes",
                    "scheme",
                    "schemas",
                    "service",
                    "settings",
                    "sql_refresh_tokens",
                    "users",
                )
            ),
            f"{PACKAGE}/migrations/versions/accounts_0001_create_users.py",
            *(
                f"tests/accounts/test_{module}.py"
                for module in ("commands", "keys", "refresh_expiry", "token_endpoint", "users")
            ),
            "tests/support/accounts.py",
            "tests/support/plugins/accounts.py",
        ),
        # The tests change items with a token signed by the service's (test) key.
        variants={"tests/support/credentials.password.py": "tests/support/credentials.py"},
    ),
    Entry(
        "refresh tokens in Redis",
        lambda a: a["auth"] == "password" and a["redis"] == "yes",
        (f"{PACKAGE}/accounts/redis_refresh_tokens.py",),
        variants={
            f"{PACKAGE}/accounts/refresh_store.redis.py": f"{PACKAGE}/accounts/refresh_store.py",
            "tests/accounts/test_refresh_expiry.redis.py": "tests/accounts/test_refresh_expiry.py",
        },
    ),
    Entry(
        "API keys",
        lambda a: a["auth"] in ("api_key", "jwt_and_api_key"),
        (
            f"{PACKAGE}/auth/api_keys",
            "tests/auth/api_keys",
            "tests/support/api_keys.py",
            "tests/support/plugins/api_keys.py",
        ),
    ),
    Entry(
        "API keys only",
        lambda a: a["auth"] == "api_key",
        variants={"tests/support/credentials.api_key.py": "tests/support/credentials.py"},
    ),
    Entry(
        "tracing",
        lambda a: a["tracing"] != "none",
        (
            "deploy/compose/tracing.yml",
            f"{PACKAGE}/telemetry/__init__.py",
            f"{PACKAGE}/telemetry/batches.py",
            f"{PACKAGE}/telemetry/calls.py",
            f"{PACKAGE}/telemetry/encoding.py",
            f"{PACKAGE}/telemetry/feature.py",
            f"{PACKAGE}/telemetry/outgoing.py",
            f"{PACKAGE}/telemetry/provider.py",
            f"{PACKAGE}/telemetry/sampling.py",
            f"{PACKAGE}/telemetry/settings.py",
            f"{PACKAGE}/telemetry/spans.py",
            f"{PACKAGE}/telemetry/stage.py",
            f"{PACKAGE}/telemetry/transports.py",
            "tests/telemetry/test_encoding.py",
            "tests/telemetry/test_export_queue.py",
            "tests/telemetry/test_otel_variables.py",
            "tests/telemetry/test_outgoing.py",
            "tests/telemetry/test_sampling.py",
            "tests/telemetry/test_tracing.py",
            "tests/telemetry/test_workers.py",
            "tests/support/otlp.py",
            "tests/support/plugins/telemetry.py",
            "tests/support/tracing.py",
        ),
    ),
    Entry(
        "traced database queries",
        lambda a: a["tracing"] != "none" and a["database"] != "none",
        (f"{PACKAGE}/telemetry/queries.py", "tests/telemetry/test_queries.py"),
    ),
    Entry(
        "model serving",
        lambda a: a["ml_serving"] == "yes",
        (
            "model",
            f"{PACKAGE}/serving",
            "tests/serving",
            "tests/support/batch_clients.py",
            "tests/support/plugins/serving.py",
            "tests/support/serving.py",
        ),
    ),
    Entry(
        "service registry",
        lambda a: a["service_registry"] == "server",
        (
            "deploy/compose/registry.yml",
            *(
                f"{PACKAGE}/registry/{module}.py"
                for module in (
                    "__init__",
                    "access",
                    "catalog",
                    "checks",
                    "directory",
                    "documents",
                    "feature",
                    "health",
                    "metrics",
                    "openapi",
                    "page",
                    "routes",
                    "schemas",
                    "settings",
                    "store",
                )
            ),
            "tests/registry/test_checks.py",
            "tests/registry/test_health_state.py",
            "tests/registry/test_openapi.py",
            "tests/registry/test_page.py",
            "tests/registry/test_registry_api.py",
        ),
    ),
    Entry(
        "registry writes need a scope",
        lambda a: a["service_registry"] == "server" and a["auth"] != "none",
        ("tests/registry/test_access.py",),
        variants={f"{PACKAGE}/registry/access.auth.py": f"{PACKAGE}/registry/access.py"},
    ),
    Entry(
        "registrations kept in the database",
        lambda a: a["service_registry"] == "server" and a["database"] != "none",
        (
            f"{PACKAGE}/migrations/versions/registry_0001_create_services.py",
            f"{PACKAGE}/registry/records.py",
            "tests/registry/test_store.py",
        ),
        variants={f"{PACKAGE}/registry/store.sql.py": f"{PACKAGE}/registry/store.py"},
    ),
    Entry(
        "registration with a registry",
        lambda a: a["service_registry"] == "client",
        (
            "deploy/compose/registration.yml",
            f"{PACKAGE}/registration",
            "tests/registration",
            "tests/support/plugins/registration.py",
            "tests/support/recording_registry.py",
        ),
    ),
    Entry(
        "services to check or register",
        lambda a: a["service_registry"] != "none",
        ("tests/support/members.py",),
    ),
    Entry(
        "events",
        lambda a: a["event_broker"] != "none",
        (
            "deploy/compose/events.yml",
            *(
                f"{PACKAGE}/events/{module}.py"
                for module in (
                    "__init__",
                    "delivery",
                    "envelope",
                    "feature",
                    "metrics",
                    "publisher",
                    "sending",
                    "settings",
                )
            ),
            "tests/events/test_envelope.py",
            "tests/events/test_item_events.py",
            "tests/events/test_publisher.py",
            "tests/support/broker.py",
            "tests/support/events.py",
            "tests/support/plugins/broker.py",
        ),
        variants={f"{PACKAGE}/api/v1/item_events.events.py": f"{PACKAGE}/api/v1/item_events.py"},
    ),
    Entry(
        "events to Kafka",
        lambda a: a["event_broker"] == "kafka",
        (f"{PACKAGE}/events/kafka.py", "tests/support/kafka.py"),
    ),
    *(
        Entry(
            f"events to {broker}",
            answered("event_broker", broker),
            (f"{PACKAGE}/events/{broker}.py", f"tests/events/test_{broker}.py"),
            variants={
                f"tests/support/broker.{broker}.py": "tests/support/broker.py",
                f"deploy/compose/events.{broker}.yml": "deploy/compose/events.yml",
            },
        )
        for broker in ("rabbitmq", "nats", "redis")
    ),
    Entry(
        "Redis",
        answered("redis", "yes"),
        (
            f"{PACKAGE}/redis",
            "tests/redis/test_limits.py",
            "tests/redis/test_shared_limits.py",
            "tests/redis/test_outage.py",
            "tests/redis/test_redis_feature.py",
            "tests/support/plugins/redis.py",
            "tests/support/redis.py",
        ),
    ),
    Entry(
        "items cached in Redis",
        lambda a: a["redis"] == "yes" and a["database"] != "none",
        ("tests/redis/test_item_cache.py",),
        variants={f"{PACKAGE}/api/v1/item_cache.redis.py": f"{PACKAGE}/api/v1/item_cache.py"},
    ),
    Entry(
        # With events to Redis, the events' own fragment and component bring it already.
        "Redis beside the service",
        lambda a: a["redis"] == "yes" and a["event_broker"] != "redis",
        ("deploy/compose/redis.yml",),
    ),
    Entry(
        "Kubernetes: Redis",
        lambda a: a["kubernetes"] == "yes" and a["redis"] == "yes" and a["event_broker"] != "redis",
        ("deploy/k8s/components/redis",),
    ),
    Entry(
        "a server the tests take down and bring back",
        lambda a: (
            a["database"] != "none"
            or a["event_broker"] in ("rabbitmq", "nats", "redis")
            or a["redis"] == "yes"
        ),
        ("tests/support/proxy.py",),
    ),
    Entry(
        "events to a broker server the tests share",
        lambda a: a["event_broker"] in ("rabbitmq", "nats", "redis"),
        ("tests/support/forwarding.py",),
    ),
    Entry(
        "event archive",
        lambda a: a["event_archive"] == "s3",
        (
            "deploy/compose/archive.yml",
            *(
                f"{PACKAGE}/archive/{module}.py"
                for module in (
                    "__init__",
                    "archiver",
                    "batches",
                    "feature",
                    "metrics",
                    "settings",
                    "store",
                )
            ),
            "tests/archive",
            "tests/support/s3.py",
            "tests/support/plugins/s3.py",
        ),
    ),
    *(
        Entry(
            f"event archive from {broker}",
            archived_from(broker),
            (f"{PACKAGE}/archive/{broker}.py",),
        )
        for broker in ("kafka", "rabbitmq", "nats", "redis")
    ),
    Entry(
        "events through an outbox",
        lambda a: a["event_broker"] != "none" and a["database"] != "none",
        (
            f"{PACKAGE}/events/outbox.py",
            f"{PACKAGE}/events/outbox_row.py",
            f"{PACKAGE}/migrations/versions/events_0001_create_outbox.py",
            "tests/events/test_outbox.py",
            "tests/events/test_outbox_row.py",
        ),
        variants={f"{PACKAGE}/events/delivery.outbox.py": f"{PACKAGE}/events/delivery.py"},
    ),
    Entry(
        "AWS Lambda",
        lambda a: a["aws_lambda"] == "yes",
        (
            "infra",
            "lambda.mk",
            "tests/load",
            f"{PACKAGE}/aws_lambda",
            # Listed by file: the database's test beside them is an entry of its own.
            "tests/aws_lambda/events",
            "tests/aws_lambda/test_gateway.py",
            "tests/aws_lambda/test_runtime.py",
            "tests/aws_lambda/test_runtime_client.py",
            "tests/support/lambda_events.py",
            "tests/support/lambda_runtime.py",
            "tests/support/plugins/aws_lambda.py",
        ),
    ),
    Entry(
        "AWS Lambda with a database",
        lambda a: a["aws_lambda"] == "yes" and a["database"] != "none",
        ("tests/aws_lambda/test_database_reuse.py",),
    ),
    Entry(
        "AWS Lambda's stack checked on GitHub",
        lambda a: a["aws_lambda"] == "yes" and a["ci"] == "github",
        (".github/workflows/lambda.yml",),
    ),
    Entry(
        "PostgreSQL tests on GitHub",
        lambda a: a["database"] == "postgresql" and a["ci"] == "github",
        (".github/workflows/postgresql.yml",),
    ),
    Entry(
        "Kubernetes",
        answered("kubernetes", "yes"),
        (
            "deploy/k8s/base",
            "deploy/k8s/overlays",
            "deploy/k8s/components/monitoring",
            "tests/deploy/test_kubernetes.py",
            "tests/deploy/broken_deployment.yaml",
        ),
    ),
    Entry(
        "Kubernetes: one pod",
        lambda a: (
            a["kubernetes"] == "yes"
            and (a["database"] == "sqlite" or a["service_registry"] == "server")
        ),
        ("deploy/k8s/components/single-replica",),
    ),
    Entry(
        "Kubernetes: SQLite's volume",
        lambda a: a["kubernetes"] == "yes" and a["database"] == "sqlite",
        ("deploy/k8s/components/sqlite",),
    ),
    Entry(
        "Kubernetes: PostgreSQL's migrations",
        lambda a: a["kubernetes"] == "yes" and a["database"] == "postgresql",
        ("deploy/k8s/components/postgresql",),
    ),
    Entry(
        "Kubernetes: the broker",
        lambda a: a["kubernetes"] == "yes" and a["event_broker"] != "none",
        ("deploy/k8s/components/events",),
    ),
    Entry(
        "Kubernetes: the archive",
        lambda a: a["kubernetes"] == "yes" and a["event_archive"] == "s3",
        ("deploy/k8s/components/archive",),
    ),
    Entry(
        "Alerts and dashboard of the database",
        lambda a: a["database"] != "none",
        (
            "deploy/prometheus/rules/database.yml",
            "deploy/prometheus/tests/database.yml",
            "deploy/grafana/dashboards/database.json",
        ),
    ),
    Entry(
        "Alerts and dashboard of the outbox",
        lambda a: a["database"] != "none" and a["event_broker"] != "none",
        (
            "deploy/prometheus/rules/outbox.yml",
            "deploy/prometheus/tests/outbox.yml",
            "deploy/grafana/dashboards/outbox.json",
        ),
    ),
    Entry(
        "Alerts and dashboard of the registry",
        answered("service_registry", "server"),
        (
            "deploy/prometheus/rules/registry.yml",
            "deploy/prometheus/tests/registry.yml",
            "deploy/grafana/dashboards/registry.json",
        ),
    ),
)

LICENSES_DIR = "licenses"
ANSWERS_FILE = ".cookiecutter.json"
UPDATE_FILE = ".cruft.json"
# Context entries that describe the machine or the tool that rendered, not the project.
MACHINE_KEYS = frozenset({"_output_dir", "_repo_dir", "_checkout", "_template", "_commit"})
# Cookiecutter's abbreviations of template URLs, expanded for the tools that update.
ABBREVIATIONS = {
    "gh": "https://github.com/{0}.git",
    "gl": "https://gitlab.com/{0}.git",
    "bb": "https://bitbucket.org/{0}",
}
DOCS_URL = "http://127.0.0.1:8000/docs"


def as_bool(value: object) -> bool:
    """Booleans arrive as JSON booleans, or as text from a user config or extra context."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "y", "on"}
    return bool(value)


def unchosen_paths(answers: Answers) -> Iterator[str]:
    """The paths of the entries whose condition does not hold."""
    for entry in MANIFEST:
        if not entry.when(answers):
            yield from entry.paths
            yield from entry.variants


def place_variants(root: Path, answers: Answers) -> None:
    """Put each chosen variant where the file it replaces was."""
    for entry in MANIFEST:
        if entry.when(answers):
            for variant, target in entry.variants.items():
                (root / variant).replace(root / target)


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def prune(root: Path, answers: Answers) -> None:
    """Put chosen variants in place; remove the files of unchosen answers, bytecode caches,
    and folders left empty."""
    place_variants(root, answers)
    for relative in unchosen_paths(answers):
        remove(root / relative)
    for cache in list(root.rglob("__pycache__")):
        shutil.rmtree(cache)
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


def install_license(root: Path, license_name: str) -> None:
    """Keep the chosen license text as LICENSE."""
    (root / LICENSES_DIR / f"{license_name}.txt").replace(root / "LICENSE")
    shutil.rmtree(root / LICENSES_DIR)


def record_answers(root: Path, answers: Mapping[str, Any]) -> None:
    """Write the answers as a replay file, to render again or update later with
    ``cookiecutter --replay-file .cookiecutter.json <template>``."""
    recorded = {key: value for key, value in answers.items() if key not in MACHINE_KEYS}
    text = json.dumps({"cookiecutter": recorded}, indent=2, ensure_ascii=False)
    (root / ANSWERS_FILE).write_text(text + "\n", encoding="utf-8")


def is_update(answers: Answers) -> bool:
    """Rendered again by ``cruft update`` (its context names the commit), to be compared with
    another render rather than used: nothing to record, install or commit."""
    return "_commit" in answers


def team_owned(answers: Answers) -> list[str]:
    """What belongs to the team after the first render, so updates from the template leave it
    alone: the items example, the routers, the migrations, local settings and lock files."""
    package = f"src/{answers['package_name']}"
    return [
        f"{package}/api/v1/__init__.py",
        f"{package}/api/v1/items.py",
        f"{package}/models",
        f"{package}/repositories",
        f"{package}/schemas",
        f"{package}/services",
        f"{package}/migrations/versions",
        "tests/api/v1/test_items_api.py",
        "tests/repositories",
        "tests/services",
        ".env",
        "poetry.lock",
        "uv.lock",
        UPDATE_FILE,
    ]


def template_folder(answers: Answers) -> Path:
    """The template's folder (a clone, for a URL), as cookiecutter saw it from the user's shell."""
    return Path(os.environ.get("PWD", ""), str(answers.get("_repo_dir", ""))).absolute()


def template_source(answers: Answers) -> str:
    """Where updates come from: the URL given to cookiecutter, or the local template's path."""
    template = str(answers.get("_template", ""))
    prefix, _, rest = template.partition(":")
    if prefix in ABBREVIATIONS and rest:
        return ABBREVIATIONS[prefix].format(rest)
    if "://" in template or template.startswith("git@"):
        return template
    return str(template_folder(answers))


def record_update_source(root: Path, answers: Answers) -> None:
    """Write what an update needs as cruft reads it (.cruft.json): the template, its commit, the
    answers, and what the team owns; nothing where the template is not in git."""
    folder = template_folder(answers)
    head = git(folder, "rev-parse", "HEAD") if shutil.which("git") and folder.is_dir() else None
    if head is None or head.returncode != 0:
        print(
            f"The template is not a git repository, so no {UPDATE_FILE} was written: render "
            "from a clone of it to take its updates later (make template-update)."
        )
        return
    source, commit = template_source(answers), head.stdout.strip()
    context = {key: value for key, value in answers.items() if key not in MACHINE_KEYS}
    state = {
        "template": source,
        "commit": commit,
        "checkout": None,
        "context": {"cookiecutter": {**context, "_template": source, "_commit": commit}},
        "directory": None,
        "skip": team_owned(answers),
    }
    text = json.dumps(state, indent=2, ensure_ascii=False)
    (root / UPDATE_FILE).write_text(text + "\n", encoding="utf-8")


# Where the dependency manager goes when it is not on the PATH, as `make tools` puts it there.
TOOLS_DIR = ".tools"


def tool_environment(root: Path) -> dict[str, str]:
    """The user's environment without an activated virtualenv, so tools use the project's .venv,
    and with the project's own tools last on the PATH, as the Makefile has it."""
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    env["PATH"] = os.pathsep.join([env.get("PATH", os.defpath), str(root / TOOLS_DIR / "bin")])
    return env


def install_tool(root: Path, requirement: str, env: Mapping[str, str]) -> bool:
    """Install the dependency manager into the project's .tools/ (a venv of its own, never the
    service's .venv, which the manager's sync would empty)."""
    tools = root / TOOLS_DIR
    for command in (
        [sys.executable, "-m", "venv", str(tools)],
        [str(tools / "bin" / "python"), "-m", "pip", "install", "--quiet", requirement],
    ):
        if subprocess.run(command, cwd=root, env=dict(env), check=False).returncode != 0:
            shutil.rmtree(tools, ignore_errors=True)
            return False
    return True


def install_dependencies(root: Path, answers: Mapping[str, Any]) -> bool:
    """Lock and install with the chosen tool (installed into .tools/ first if it is not on the
    PATH), output visible; say what to run when it cannot."""
    tool = answers["dependency_manager"]
    requirement = answers["__tool_requirement"]
    env = tool_environment(root)
    if shutil.which(tool, path=env["PATH"]) is None:
        print(f"{tool} is not on the PATH: installing {requirement} into {TOOLS_DIR}/", flush=True)
        if not install_tool(root, requirement, env):
            print(
                f"{tool} could not be installed, so dependencies were not installed; the "
                f"project is complete. Install {tool} ({requirement}), then run: make install"
            )
            return False
    venv = root / ".venv"
    for command in (answers["__lock_command"], answers["__install_command"]):
        print(f"$ {command}", flush=True)
        argv = shlex.split(command)
        argv[0] = shutil.which(argv[0], path=env["PATH"]) or argv[0]
        result = subprocess.run(argv, cwd=root, env=env, check=False)
        if result.returncode != 0:
            # The project was just rendered, so any .venv is the failed tool's half-made one.
            shutil.rmtree(venv, ignore_errors=True)
            print(
                f"'{command}' failed (exit code {result.returncode}); the project is complete. "
                "Once the problem is fixed, run: make install"
            )
            return False
    return True


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)


def git_has_identity(root: Path) -> bool:
    def known(variable: str, key: str) -> bool:
        return bool(os.environ.get(variable)) or git(root, "config", key).returncode == 0

    return known("GIT_AUTHOR_NAME", "user.name") and known("GIT_AUTHOR_EMAIL", "user.email")


def init_git(root: Path) -> None:
    """`git init` and a first commit; skipped inside another repository or when git is missing."""
    if shutil.which("git") is None:
        print("git was not found; to version the project: git init && git add -A && git commit")
        return
    if (root / ".git").exists():
        return
    if git(root.parent, "rev-parse", "--is-inside-work-tree").returncode == 0:
        print("The project is inside another git repository, so no new one was created.")
        return
    init = git(root, "init", "--quiet", "--initial-branch=main")
    if init.returncode != 0:
        print(f"git init failed: {init.stderr.strip()}")
        return
    git(root, "add", "--all")
    if not git_has_identity(root):
        print(
            "git has no user name or e-mail, so nothing was committed. Set them with\n"
            "  git config --global user.name 'Your Name'\n"
            "  git config --global user.email you@example.com\n"
            "then run: git commit -m 'Initial commit'"
        )
        return
    commit = git(root, "commit", "--quiet", "--message", "Initial commit")
    if commit.returncode != 0:
        print(f"git commit failed: {commit.stderr.strip()}")


def display_path(root: Path) -> str:
    """The project folder as the user should type it from the shell they ran cookiecutter in."""
    shell_cwd = os.environ.get("PWD")
    if shell_cwd:
        relative = os.path.relpath(root, shell_cwd)
        if not relative.startswith(".."):
            return relative
    return str(root)


def next_steps(root: Path, answers: Mapping[str, Any], installed: bool) -> str:
    steps = [f"cd {shlex.quote(display_path(root))}"]
    if not installed:
        tool = answers["dependency_manager"]
        steps.append(
            f"make install    # {answers['__install_command']} ({tool} into {TOOLS_DIR}/ first "
            "if it is not on the PATH)"
        )
    steps += [
        "make dev        # serves http://127.0.0.1:8000, reloading on changes",
        "make check      # lint, type check and tests",
    ]
    lines = "\n".join(f"  {step}" for step in steps)
    return f"\nNext steps:\n{lines}\nAPI docs: {DOCS_URL}\n"


def main() -> int:
    answers = json.loads(ANSWERS_JSON)
    root = Path.cwd()
    install_license(root, answers["license"])
    prune(root, answers)
    record_answers(root, answers)
    if is_update(answers):
        return 0
    record_update_source(root, answers)
    installed = as_bool(answers["install_dependencies"]) and install_dependencies(root, answers)
    if as_bool(answers["init_git"]):
        init_git(root)
    print(next_steps(root, answers, installed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
