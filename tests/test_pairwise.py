"""The pairwise generator: coverage, constraints, determinism and size."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from itertools import combinations, product
from math import prod
from typing import Any

import pytest

from .pairwise import (
    Parameters,
    Validity,
    all_pairs,
    always_valid,
    covering_subset,
    lightened,
)
from .template import TEMPLATE_DIR

SIX_PARAMETERS: dict[str, list[Any]] = {
    "python": ["3.12", "3.11", "3.13"],
    "manager": ["poetry", "uv", "pdm"],
    "ci": ["github", "gitlab", "none", "jenkins"],
    "auth": ["none", "jwt", "api_key", "jwt_and_api_key"],
    "broker": ["none", "kafka", "rabbitmq", "nats", "redis"],
    "license": ["MIT", "Apache-2.0", "BSD-3-Clause", "GPL-3.0", "Proprietary"],
}
WITH_BOOLEANS: dict[str, list[Any]] = {
    "database": ["sqlite", "postgresql", "none"],
    "init_git": [True, False],
    "install": [False, True],
    "docker": [True, False],
}


def archive_needs_a_broker(answers: Mapping[str, Any]) -> bool:
    return not (answers.get("archive") == "s3" and answers.get("broker") == "none")


def one_install_with_uv(answers: Mapping[str, Any]) -> bool:
    return not answers.get("install") or answers.get("manager", "uv") == "uv"


def docker_without_sqlite(answers: Mapping[str, Any]) -> bool:
    return not (answers.get("docker") is False and answers.get("database") == "sqlite")


# (parameters, interactions or None for all pairs, validity)
TABLES: dict[str, tuple[Parameters, list[tuple[str, str]] | None, Validity]] = {
    "six-all-pairs": (SIX_PARAMETERS, None, always_valid),
    "six-some-pairs": (
        SIX_PARAMETERS,
        [("manager", "ci"), ("python", "ci"), ("auth", "broker"), ("license", "manager")],
        always_valid,
    ),
    "constrained": (
        {**SIX_PARAMETERS, "archive": ["none", "s3"]},
        None,
        archive_needs_a_broker,
    ),
    "booleans": (
        {"manager": ["poetry", "uv"], **WITH_BOOLEANS},
        [("manager", "install"), ("database", "docker"), ("init_git", "install")],
        lambda answers: one_install_with_uv(answers) and docker_without_sqlite(answers),
    ),
    "one-parameter": ({"ci": ["github", "gitlab", "none"]}, None, always_valid),
}


def full_cases(parameters: Parameters, cases: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    defaults = {name: values[0] for name, values in parameters.items()}
    return [{**defaults, **case} for case in cases]


def valid_combinations(parameters: Parameters, valid: Validity) -> list[dict[str, Any]]:
    """Every valid answer set, by brute force: the truth the generator is checked against."""
    every = (dict(zip(parameters, values, strict=True)) for values in product(*parameters.values()))
    return [answers for answers in every if valid(answers)]


@pytest.mark.parametrize("table", TABLES)
def test_every_value_and_every_interacting_pair_that_can_be_valid_is_covered(table: str) -> None:
    parameters, interactions, valid = TABLES[table]
    cases = full_cases(parameters, all_pairs(parameters, interactions, valid))
    possible = valid_combinations(parameters, valid)

    for name in parameters:
        assert {case[name] for case in cases} == {answers[name] for answers in possible}, name
    for first, second in interactions or combinations(parameters, 2):
        covered = {(case[first], case[second]) for case in cases}
        assert covered == {(answers[first], answers[second]) for answers in possible}


@pytest.mark.parametrize("table", TABLES)
def test_every_case_is_valid_distinct_and_lists_only_what_differs(table: str) -> None:
    parameters, interactions, valid = TABLES[table]
    cases = all_pairs(parameters, interactions, valid)

    assert cases[0] == {}
    assert all(valid(answers) for answers in full_cases(parameters, cases))
    assert len({json.dumps(case) for case in cases}) == len(cases)
    for case in cases:
        assert all(value != parameters[name][0] for name, value in case.items())
        assert list(case) == [name for name in parameters if name in case]  # stable ids


def test_a_value_no_valid_case_holds_is_left_out() -> None:
    parameters = {"broker": ["kafka", "none"], "archive": ["s3"]}

    assert all_pairs(parameters, None, archive_needs_a_broker) == [{}]


def test_is_much_smaller_than_the_full_product() -> None:
    cases = all_pairs(SIX_PARAMETERS)
    two_largest = sorted(map(len, SIX_PARAMETERS.values()))[-2:]

    # At least 5 x 5 cases are needed; the product is 3,600.
    assert prod(two_largest) <= len(cases) <= 40
    assert len(cases) * 50 < prod(map(len, SIX_PARAMETERS.values()))


def test_same_input_gives_the_same_cases_in_any_process() -> None:
    """xdist workers collect separately, each with its own hash seed: ids must not differ."""
    code = (
        "import json, sys\n"
        "from tests.pairwise import all_pairs\n"
        "from tests.test_pairwise import TABLES\n"
        "print(json.dumps([all_pairs(*TABLES[name]) for name in TABLES]))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=TEMPLATE_DIR,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    here = json.dumps([all_pairs(*TABLES[name]) for name in TABLES])

    assert outputs == {here + "\n"}


@pytest.mark.parametrize(
    "interactions",
    [[("manager", "nope")], [("ci", "ci")]],
    ids=["unknown-name", "same-name-twice"],
)
def test_a_pair_of_unknown_or_equal_names_is_refused(interactions: list[tuple[str, str]]) -> None:
    with pytest.raises(ValueError, match="not a pair of parameters"):
        all_pairs(SIX_PARAMETERS, interactions)


def test_invalid_defaults_are_refused() -> None:
    with pytest.raises(ValueError, match="defaults"):
        all_pairs({"broker": ["none"], "archive": ["s3", "none"]}, None, archive_needs_a_broker)


@pytest.mark.parametrize("table", TABLES)
def test_covering_subset_holds_every_value_with_few_cases(table: str) -> None:
    parameters, interactions, valid = TABLES[table]
    cases = all_pairs(parameters, interactions, valid)
    subset = covering_subset(cases, parameters)

    assert [case for case in cases if case in subset] == subset  # in the cases' order
    for name in parameters:
        held = {case[name] for case in full_cases(parameters, cases)}
        assert {case[name] for case in full_cases(parameters, subset)} == held
    # Greedy, so not always the fewest possible, but near: each parameter's values at least.
    assert len(subset) <= max(map(len, parameters.values())) + 1


def test_covering_subset_takes_a_case_that_alone_holds_a_value() -> None:
    parameters: dict[str, list[Any]] = {
        "ci": ["github", "gitlab", "none"],
        "install": [False, True],
    }
    cases: list[dict[str, Any]] = [
        {},
        {"ci": "gitlab"},
        {"ci": "none"},
        {"ci": "gitlab", "install": True},
    ]

    assert covering_subset(cases, parameters) == [{}, {"ci": "none"}, cases[3]]


def test_covering_subset_also_meets_the_conditions_some_case_meets() -> None:
    parameters: dict[str, list[Any]] = {
        "database": ["sqlite", "postgresql", "none"],
        "registry": ["none", "server"],
    }
    cases: list[dict[str, Any]] = [
        {},
        {"database": "postgresql"},
        {"database": "none", "registry": "server"},
        {"registry": "server"},
    ]
    conditions: dict[str, Validity] = {
        "registry with a database": lambda a: a["registry"] == "server" and a["database"] != "none",
        "never met": lambda a: False,
    }

    without = covering_subset(cases, parameters)
    subset = covering_subset(cases, parameters, conditions)

    defaults = {"database": "sqlite", "registry": "none"}
    met = conditions["registry with a database"]
    assert not any(met({**defaults, **case}) for case in without)
    assert subset == [
        {"database": "postgresql"},
        {"database": "none", "registry": "server"},
        {"registry": "server"},  # the one case that meets the condition
    ]


def test_generation_starts_from_the_given_cases_and_covers_the_rest() -> None:
    parameters, interactions, valid = TABLES["constrained"]
    start = [{"broker": "kafka", "archive": "s3"}, {"ci": "none", "license": "GPL-3.0"}]
    cases = all_pairs(parameters, interactions, valid, start=[*start, {}, start[0]])

    assert cases[:3] == [{}, *start]  # the defaults and repeats are not cases twice
    pairs = {
        ((first, case[first]), (second, case[second]))
        for case in full_cases(parameters, cases)
        for first, second in combinations(parameters, 2)
    }
    alone = full_cases(parameters, all_pairs(parameters, interactions, valid))
    assert pairs == {
        ((first, case[first]), (second, case[second]))
        for case in alone
        for first, second in combinations(parameters, 2)
    }
    with pytest.raises(ValueError, match="not a valid case to start from"):
        all_pairs(parameters, interactions, valid, start=[{"archive": "s3"}])


# Three features, each meeting a condition of its own, and two met only by two answers together.
FEATURES: dict[str, list[Any]] = {
    "python": ["3.12", "3.13"],
    "broker": ["none", "kafka", "nats"],
    "archive": ["none", "s3"],
    "registry": ["none", "server"],
}
FEATURE_CONDITIONS: dict[str, Validity] = {
    "events": lambda a: a["broker"] != "none",
    "archive": lambda a: a["archive"] == "s3",
    "archive from nats": lambda a: a["archive"] == "s3" and a["broker"] == "nats",
    "registry": lambda a: a["registry"] == "server",
    "kafka on 3.13": lambda a: a["python"] == "3.13" and a["broker"] == "kafka",
}


def holdings(cases: Sequence[Mapping[str, Any]]) -> set[tuple[str, Any]]:
    """Every value and every condition the cases hold and meet."""
    held: set[tuple[str, Any]] = set()
    for answers in full_cases(FEATURES, cases):
        held |= set(answers.items())
        held |= {("condition", name) for name, met in FEATURE_CONDITIONS.items() if met(answers)}
    return held


def weight(cases: Sequence[Mapping[str, Any]]) -> int:
    return sum(
        met(answers)
        for answers in full_cases(FEATURES, cases)
        for met in FEATURE_CONDITIONS.values()
    )


def test_a_lighter_cover_holds_the_same_and_meets_fewer_conditions_in_all() -> None:
    cover = [
        {"python": "3.13", "broker": "kafka", "archive": "s3", "registry": "server"},
        {"broker": "nats", "archive": "s3", "registry": "server"},
        {"registry": "server"},
    ]
    lighter = lightened(cover, FEATURES, FEATURE_CONDITIONS, archive_needs_a_broker)

    assert holdings(lighter) >= holdings(cover)
    assert weight(lighter) < weight(cover)
    assert all(archive_needs_a_broker(answers) for answers in full_cases(FEATURES, lighter))
    # The heavy cases shed what another case holds; the last one alone holds "no broker".
    assert lighter == [
        {"python": "3.13", "broker": "kafka"},
        {"broker": "nats", "archive": "s3"},
        {"registry": "server"},
    ]


def test_cases_whose_answers_do_not_clash_become_one() -> None:
    cover = [{"python": "3.13"}, {"broker": "nats", "archive": "s3"}, {"registry": "server"}]

    lighter = lightened(cover, FEATURES, FEATURE_CONDITIONS, archive_needs_a_broker)

    # The registry's case still holds the defaults the first two gave up.
    assert lighter == [
        {"python": "3.13", "broker": "nats", "archive": "s3"},
        {"registry": "server"},
    ]
    assert holdings(lighter) == holdings(cover)


def test_cases_are_not_joined_where_together_they_meet_a_condition_neither_meets() -> None:
    cover = [{"python": "3.13"}, {"broker": "kafka"}]

    assert lightened(cover, FEATURES, FEATURE_CONDITIONS, archive_needs_a_broker) == cover
