"""Which answer sets the suite renders, generated from cookiecutter.json: pairwise cases over its
choices and yes/no answers (tests/pairwise.py), the defaults first, plus a free-text case.

Every value of every option appears in some case, and every pair of values of the options that
meet in the same files (``INTERACTIONS``) appears together; a new option joins by itself. The
cheap checks run on every case; the rendered projects' own tests on ``FULL_TEST_CASES``, a few
cases that still hold every value of every option and keep every set of files (a greedy set
cover, made lighter), from which the pairwise generation starts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from .pairwise import all_pairs, covering_subset, lightened
from .template import DEFAULTS, QUESTIONS, load_hook

Answers = dict[str, Any]

CHOICES = {key: value for key, value in QUESTIONS.items() if isinstance(value, list)}
BOOLEANS = {key: value for key, value in QUESTIONS.items() if isinstance(value, bool)}
# The generator's parameters, in cookiecutter.json's order, each with its default first;
# free-text answers (names, version, e-mail) are not parameters.
PARAMETERS: dict[str, list[Any]] = {
    key: value if isinstance(value, list) else [value, not value]
    for key, value in QUESTIONS.items()
    if key in CHOICES or key in BOOLEANS
}

# Options that meet in the same files, so every pair of their values is rendered together.
INTERACTIONS: list[tuple[str, str]] = [
    # The Makefile, CI jobs and Dockerfile run the manager's own commands.
    ("dependency_manager", "ci"),
    # The Docker image's build stage installs the manager on that Python.
    ("dependency_manager", "python_version"),
    # Each build backend must accept the license expression in pyproject.toml.
    ("dependency_manager", "license"),
    # The post-generation hook locks and installs with the manager.
    ("dependency_manager", "install_dependencies"),
    # The CI image or setup-python step takes the Python version.
    ("ci", "python_version"),
    # The database adds dependencies to each build ...
    ("database", "dependency_manager"),
    # ... and a PostgreSQL service to each CI.
    ("database", "ci"),
    # Authentication guards the items example, whose store is the database's, and shares the
    # tests' support with it.
    ("auth", "database"),
    # Bearer tokens add dependencies to each build.
    ("auth", "dependency_manager"),
    # So does tracing; and its stage and auth's both add fields to the same log lines.
    ("tracing", "dependency_manager"),
    # Tracing traces the database's queries, with a module of its own for them.
    ("tracing", "database"),
    ("tracing", "auth"),
    # The model package is a path dependency, declared in each manager's own way, and served
    # beside each database (its readiness and its health share the probes).
    ("ml_serving", "dependency_manager"),
    ("ml_serving", "database"),
    # The registry's writes need a scope where there is authentication; registering and checking
    # bring an HTTP client to each build.
    ("service_registry", "auth"),
    ("service_registry", "dependency_manager"),
    # With a database, the registry keeps its registrations there, in a module of its own.
    ("service_registry", "database"),
    # Events go through the database's outbox where there is one, and bring a broker's client
    # to each build.
    ("event_broker", "database"),
    ("event_broker", "dependency_manager"),
    # A broker the tests share runs as a service container in each CI.
    ("event_broker", "ci"),
    # The archive consumes from each broker in a module of its own.
    ("event_archive", "event_broker"),
    # The function starts the database once per execution environment (a test of its own), its
    # package is built by each build backend, its stack is checked by each CI, its runtime is the
    # project's Python, and with tracing it sends spans to a collector layer.
    ("aws_lambda", "database"),
    ("aws_lambda", "dependency_manager"),
    ("aws_lambda", "ci"),
    ("aws_lambda", "python_version"),
    ("aws_lambda", "tracing"),
    # The Kubernetes manifests take a component per option that needs one (one pod for SQLite
    # or a registry, a migrate Job, broker settings, the archive's Deployment), and the GitLab
    # job installs kubectl to check them.
    ("kubernetes", "database"),
    ("kubernetes", "service_registry"),
    ("kubernetes", "event_broker"),
    ("kubernetes", "event_archive"),
    ("kubernetes", "ci"),
    # Redis brings a client to each build, a service container to each CI and a component to the
    # Kubernetes manifests; it caches the items of each database, limits by auth's identity, and
    # shares its server (and the tests' support) with the Redis Streams broker.
    ("redis", "dependency_manager"),
    ("redis", "ci"),
    ("redis", "database"),
    ("redis", "auth"),
    ("redis", "event_broker"),
    ("redis", "kubernetes"),
]


INSTALL_CASE: Answers = {"dependency_manager": "uv", "install_dependencies": True}


PRE_GENERATION = load_hook("pre_gen_project")


def is_valid(answers: Mapping[str, Any]) -> bool:
    """Whether the answers given (part of a case, maybe) break no rule of the matrix, nor one of
    the answers the pre-generation hook refuses together."""
    try:
        for combination in PRE_GENERATION.COMBINATION_CHECKS:
            combination(answers)
    except PRE_GENERATION.InvalidAnswer:
        return False
    if answers.get("install_dependencies"):
        # Installing locks and downloads over the network, so one slow case is enough: with uv
        # and otherwise the defaults (Poetry's install path is the example's: test_example.py).
        return all(INSTALL_CASE.get(key, DEFAULTS[key]) == value for key, value in answers.items())
    return True


# Unicode in the human name and a package name unrelated to the slug.
FREE_TEXT_CASE: Answers = {"project_name": "Café Inventory API", "package_name": "inventory"}


def installs(answers: Answers) -> bool:
    """Cases whose post-generation hook locks and installs over the network."""
    return bool(answers.get("install_dependencies"))


# The files each entry of the post-generation hook's manifest keeps, and when: some case that
# runs the full tests renders each set (a module kept only for two answers together is tested).
def _kept_by(entry: Any) -> Callable[[Mapping[str, Any]], bool]:
    def kept(answers: Mapping[str, Any]) -> bool:
        return bool(entry.when({**DEFAULTS, **answers}))

    return kept


FILE_SETS: dict[str, Callable[[Mapping[str, Any]], bool]] = {
    entry.name: _kept_by(entry) for entry in load_hook("post_gen_project").MANIFEST
}

# The cases that run the rendered projects' own tests: a cover of pairwise cases, made lighter
# so that each set of files is tested in as few cases as the cover allows (the rendered suites
# are most of the run's time). It is drawn from the cases that do not install, so that a run
# without the slow ones still tests every other value; the installing case is checked through
# its dependency manager, which always runs the tests too.
_PAIRWISE = all_pairs(PARAMETERS, INTERACTIONS, is_valid)
_COVER = lightened(
    covering_subset(
        [answers for answers in _PAIRWISE if not installs(answers)], PARAMETERS, FILE_SETS
    ),
    PARAMETERS,
    FILE_SETS,
    is_valid,
)
# The matrix starts from the cover, so that the pairs its cases hold need no other case.
CASES: list[Answers] = [
    *all_pairs(PARAMETERS, INTERACTIONS, is_valid, start=_COVER),
    FREE_TEXT_CASE,
]
FULL_TEST_CASES: list[Answers] = [
    answers for answers in CASES if installs(answers) or answers in _COVER
]


def case_id(answers: Answers) -> str:
    return "-".join(f"{key}={value}" for key, value in answers.items()) or "defaults"


def runs_full_tests(answers: Answers) -> bool:
    """Cases whose rendered project also runs its own pytest suite."""
    return answers in FULL_TEST_CASES


def cases(
    where: Callable[[Answers], bool] = lambda answers: True,
    *,
    tag_full_tests: bool = False,
    files_only: bool = False,
) -> list[Any]:
    """The matrix (or the part ``where`` selects) as pytest params; the cases that install over
    the network are marked slow. With ``tag_full_tests``, the ids of ``FULL_TEST_CASES`` end in
    ``+pytest``. With ``files_only``, for tests that read the rendered files: nothing is
    installed (the installing case installs in the rendered projects' checks)."""
    params = []
    for answers in filter(where, CASES):
        rendered = answers
        if files_only and installs(answers):
            rendered = {**answers, "install_dependencies": False}
        name = case_id(rendered) + "+pytest" * (tag_full_tests and runs_full_tests(answers))
        slow = [pytest.mark.slow] * installs(rendered)
        params.append(pytest.param(rendered, id=name, marks=slow))
    return params
