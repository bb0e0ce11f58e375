"""app.py as cdk runs it: through the pinned CDK command line (npx fetches it on first use),
then cfn-lint on the CloudFormation template it writes; and how it stops on a bad setting."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from cfnlint.api import lint_file

from {{ cookiecutter.package_name }}_infra import CDK_CLI
from {{ cookiecutter.package_name }}_infra.settings import DeploySettings

INFRA_DIR = Path(__file__).resolve().parents[1]
# Seconds: the first run downloads the command line.
SYNTH_TIMEOUT = 600


def npx() -> str:
    found = shutil.which("npx")
    assert found, "synthesising needs Node.js (22 or later) and its npx on the PATH"
    return found


def interpreter_dir() -> Path:
    """The folder of the Python running the tests: cdk.json's `python app.py` must be it."""
    directory = Path(sys.executable).parent
    assert (directory / "python").exists(), f"no `python` in {directory} for cdk.json's app"
    return directory


def synthesise(output: Path, package_dir: Path) -> None:
    environment = {
        **os.environ,
        "PATH": os.pathsep.join([str(interpreter_dir()), os.environ.get("PATH", "")]),
        "LAMBDA_PACKAGE_DIR": str(package_dir),
        # Synthesising needs no AWS account: no credentials looked for on an instance, no
        # usage data sent.
        "AWS_EC2_METADATA_DISABLED": "true",
        "CDK_DISABLE_CLI_TELEMETRY": "true",
    }
    command = [npx(), "--yes", CDK_CLI, "synth", "--quiet", "--no-notices", "--output", str(output)]
    result = subprocess.run(  # noqa: S603
        command,
        cwd=INFRA_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=SYNTH_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}"


def lint_errors(template: Path) -> list[str]:
    """cfn-lint's errors (rules E...); its warnings (W3005 on every CDK template, say) and
    informational findings are advice."""
    return [str(match) for match in lint_file(template) if match.rule.id.startswith("E")]


def test_the_app_synthesises_a_template_cfn_lint_accepts(tmp_path: Path, package_dir: Path) -> None:
    output = tmp_path / "cdk.out"

    synthesise(output, package_dir)

    template = output / f"{DeploySettings().stack_name}.template.json"
    resources = json.loads(template.read_text("utf-8"))["Resources"].values()
    types = {resource["Type"] for resource in resources}
    assert {"AWS::Lambda::Function", "AWS::ApiGatewayV2::Api", "AWS::Logs::LogGroup"} <= types
    assets = [path for path in output.glob("asset.*") if (path / "placeholder.txt").is_file()]
    assert assets, "the package folder is not the function's code"
    assert lint_errors(template) == []


def test_the_readme_and_the_make_targets_use_the_pinned_command_line() -> None:
    readme = (INFRA_DIR / "README.md").read_text("utf-8")
    targets = (INFRA_DIR.parent / "lambda.mk").read_text("utf-8")

    assert f"npx {CDK_CLI} synth" in readme
    assert f"npx {CDK_CLI} deploy" in readme
    assert f"CDK := npx --yes {CDK_CLI}\n" in targets


def run_app(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """app.py as cdk runs it, from another folder, with these variables set."""
    return subprocess.run(  # noqa: S603
        [sys.executable, str(INFRA_DIR / "app.py")],
        cwd=tmp_path,
        env={**os.environ, **variables},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_app_stops_on_an_invalid_setting_naming_it(tmp_path: Path, package_dir: Path) -> None:
    result = run_app(tmp_path, LAMBDA_PACKAGE_DIR=str(package_dir), LAMBDA_MEMORY_MB="64")

    assert result.returncode == 1
    assert "invalid setting LAMBDA_MEMORY_MB: " in result.stderr


def test_the_app_stops_without_a_package(tmp_path: Path) -> None:
    result = run_app(tmp_path, LAMBDA_PACKAGE_DIR=str(tmp_path / "missing"))

    assert result.returncode == 1
    assert "run `make lambda-package`" in result.stderr
    assert "Traceback" not in result.stderr
