"""The CDK app (cdk.json runs it): the service's stack, configured by ``LAMBDA_*`` variables."""

import sys
from pathlib import Path

# The package's source, so the app runs in any environment with its dependencies, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

import aws_cdk as cdk

from {{ cookiecutter.package_name }}_infra.settings import load
from {{ cookiecutter.package_name }}_infra.stack import PackageMissingError, ServiceStack

settings = load()
app = cdk.App()
try:
    ServiceStack(app, settings.stack_name, settings=settings)
except PackageMissingError as error:
    raise SystemExit(str(error)) from None
app.synth()
