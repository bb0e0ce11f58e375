import os
from collections.abc import Callable
from pathlib import Path

import pytest
from aws_cdk import App
from aws_cdk.assertions import Template

from {{ cookiecutter.package_name }}_infra.settings import DeploySettings
from {{ cookiecutter.package_name }}_infra.stack import ServiceStack


@pytest.fixture(autouse=True)
def _no_deploy_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sets the LAMBDA_* variables it means; none comes from the shell."""
    for name in list(os.environ):
        if name.startswith("LAMBDA_"):
            monkeypatch.delenv(name)


@pytest.fixture
def package_dir(tmp_path: Path) -> Path:
    """A stand-in for the folder `make lambda-package` fills: one file."""
    directory = tmp_path / "lambda"
    directory.mkdir()
    (directory / "placeholder.txt").write_text("the function's code\n", "utf-8")
    return directory


@pytest.fixture
def deploy_variables(monkeypatch: pytest.MonkeyPatch, package_dir: Path) -> Callable[..., None]:
    """Sets LAMBDA_<NAME> for each NAME=value given, and LAMBDA_PACKAGE_DIR to the stand-in."""

    def set_variables(**variables: str) -> None:
        monkeypatch.setenv("LAMBDA_PACKAGE_DIR", str(package_dir))
        for name, value in variables.items():
            monkeypatch.setenv(f"LAMBDA_{name.upper()}", value)

    return set_variables


@pytest.fixture
def synthesize(tmp_path: Path, deploy_variables: Callable[..., None]) -> Callable[..., Template]:
    """The stack's template, with the settings these LAMBDA_<NAME>=value variables make."""

    def synthesize_with(**variables: str) -> Template:
        deploy_variables(**variables)
        app = App(outdir=str(tmp_path / "cdk.out"))
        return Template.from_stack(ServiceStack(app, "Service", settings=DeploySettings()))

    return synthesize_with
