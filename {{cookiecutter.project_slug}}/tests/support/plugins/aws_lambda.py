"""The function as Lambda runs it, in this process: a pytest plugin (conftest.py loads it)."""

from collections.abc import Iterator

import pytest

from {{ cookiecutter.package_name }}.aws_lambda.runtime import FunctionRuntime
from {{ cookiecutter.package_name }}.config import Environment, Settings


@pytest.fixture
def function_settings() -> Settings:
    # The docs on, to fetch them through a stage as a browser would.
    return Settings(environment=Environment.TEST, docs_enabled=True, log_format="json")


@pytest.fixture
def function(function_settings: Settings) -> Iterator[FunctionRuntime]:
    """The function's execution environment, initialised; shut down afterwards."""
    runtime = FunctionRuntime.start(function_settings)
    yield runtime
    runtime.close()
