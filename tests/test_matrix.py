"""The generated matrix, read against cookiecutter.json itself: every value of every option is
rendered, every declared interaction is covered, and the full tests still reach every value."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .matrix import (
    CASES,
    FILE_SETS,
    FREE_TEXT_CASE,
    FULL_TEST_CASES,
    INTERACTIONS,
    case_id,
    cases,
    installs,
    is_valid,
)
from .template import TEMPLATE_DIR

QUESTIONS = {
    key: value
    for key, value in json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text("utf-8")).items()
    if not key.startswith("_")
}
# Every value a user can give each choice or yes/no question; the default comes first.
OPTIONS: dict[str, list[Any]] = {
    key: value if isinstance(value, list) else [value, not value]
    for key, value in QUESTIONS.items()
    if isinstance(value, list | bool)
}
DEFAULTS = {key: value[0] if isinstance(value, list) else value for key, value in QUESTIONS.items()}
RENDERED = [{**DEFAULTS, **answers} for answers in CASES]


def test_defaults_come_first_and_the_free_text_case_is_kept() -> None:
    assert CASES[0] == {}
    assert FREE_TEXT_CASE in CASES


@pytest.mark.parametrize("option", OPTIONS)
def test_every_value_of_every_option_is_rendered(option: str) -> None:
    assert {answers[option] for answers in RENDERED} == set(OPTIONS[option])


@pytest.mark.parametrize(("first", "second"), INTERACTIONS)
def test_every_valid_pair_of_values_of_interacting_options_is_rendered(
    first: str, second: str
) -> None:
    valid_pairs = {
        (first_value, second_value)
        for first_value in OPTIONS[first]
        for second_value in OPTIONS[second]
        if is_valid({first: first_value, second: second_value})
    }

    assert {(answers[first], answers[second]) for answers in RENDERED} == valid_pairs


def test_every_case_is_valid_and_one_installs_with_uv() -> None:
    assert all(is_valid(answers) for answers in RENDERED)
    assert [answers for answers in CASES if installs(answers)] == [
        {"dependency_manager": "uv", "install_dependencies": True}
    ]


def test_full_tests_reach_every_value_without_the_slow_cases() -> None:
    """A run that leaves out the slow (installing) cases still tests every other value; the
    installing case is always among them, as its dependency manager runs every check."""
    full = [{**DEFAULTS, **answers} for answers in FULL_TEST_CASES]
    fast = [answers for answers in full if not installs(answers)]

    assert all(answers in CASES for answers in FULL_TEST_CASES)
    assert all(answers in FULL_TEST_CASES for answers in CASES if installs(answers))
    for option, values in OPTIONS.items():
        assert {answers[option] for answers in full} == set(values), option
        if option != "install_dependencies":
            assert {answers[option] for answers in fast} == set(values), option


def test_every_set_of_files_is_tested_by_a_case_without_the_slow_ones() -> None:
    """Each manifest entry's files (a module kept only for two answers together, say) are
    rendered by some case whose own tests run."""
    fast = [answers for answers in FULL_TEST_CASES if not installs(answers)]

    for name, kept in FILE_SETS.items():
        assert any(kept(answers) for answers in fast), name


def test_ids_are_unique_and_name_the_cases_that_run_the_full_tests() -> None:
    ids = [param.id for param in cases(tag_full_tests=True)]

    assert len(set(ids)) == len(ids)
    assert [name for name in ids if name.endswith("+pytest")] == [
        case_id(answers) + "+pytest" for answers in FULL_TEST_CASES
    ]
