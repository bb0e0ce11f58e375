import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App
from aws_cdk.assertions import Annotations, Match, Template

from {{ cookiecutter.package_name }}_infra.settings import DeploySettings
from {{ cookiecutter.package_name }}_infra.stack import (
    PackageMissingError,
    ServiceStack,
    check_request_timeout,
    function_code,
)

Synthesize = Callable[..., Template]


def only(template: Template, resource_type: str) -> tuple[str, dict[str, Any]]:
    """The logical id and the properties of the template's one resource of this type."""
    resources = template.find_resources(resource_type)
    assert len(resources) == 1, f"{len(resources)} resources of type {resource_type}"
    [(logical_id, resource)] = resources.items()
    properties: dict[str, Any] = resource["Properties"]
    return logical_id, properties


def test_the_function_runs_the_service_handler(synthesize: Synthesize) -> None:
    _, function = only(synthesize(), "AWS::Lambda::Function")

    assert function["Runtime"] == "python{{ cookiecutter.python_version }}"
    assert function["Handler"] == "{{ cookiecutter.package_name }}.aws_lambda.handler.handler"
    assert function["MemorySize"] == 512
    assert function["Timeout"] == 29


def test_memory_and_timeout_follow_the_settings(synthesize: Synthesize) -> None:
    _, function = only(synthesize(memory_mb="1769", timeout_seconds="27"), "AWS::Lambda::Function")

    assert function["MemorySize"] == 1769
    assert function["Timeout"] == 27


@pytest.mark.parametrize("architecture", ["arm64", "x86_64"])
def test_the_function_runs_on_the_architecture_chosen(
    synthesize: Synthesize, architecture: str
) -> None:
    _, function = only(synthesize(architecture=architecture), "AWS::Lambda::Function")

    assert function["Architectures"] == [architecture]


def test_the_function_has_the_environment_of_the_environment_file(
    synthesize: Synthesize, tmp_path: Path
) -> None:
    environment_file = tmp_path / "function.env"
    environment_file.write_text("ENVIRONMENT=staging\nLOG_LEVEL=DEBUG\n", "utf-8")

    template = synthesize(environment_file=str(environment_file))

    _, function = only(template, "AWS::Lambda::Function")
    assert function["Environment"]["Variables"] == {"ENVIRONMENT": "staging", "LOG_LEVEL": "DEBUG"}


def test_the_function_has_the_settings_of_function_env(synthesize: Synthesize) -> None:
    template = synthesize()

    _, function = only(template, "AWS::Lambda::Function")
    expected = DeploySettings().function_environment()
    assert expected["ENVIRONMENT"] == "production"
    assert function["Environment"]["Variables"] == expected


def test_the_function_logs_to_its_log_group_kept_as_long_as_set(synthesize: Synthesize) -> None:
    template = synthesize(log_retention_days="365")

    log_group_id, log_group = only(template, "AWS::Logs::LogGroup")
    _, function = only(template, "AWS::Lambda::Function")
    assert log_group["RetentionInDays"] == 365
    assert function["LoggingConfig"]["LogGroup"] == {"Ref": log_group_id}


def test_logs_are_kept_a_month_by_default(synthesize: Synthesize) -> None:
    _, log_group = only(synthesize(), "AWS::Logs::LogGroup")

    assert log_group["RetentionInDays"] == 30


def test_the_http_api_sends_every_request_to_the_function(synthesize: Synthesize) -> None:
    template = synthesize()

    function_id, _ = only(template, "AWS::Lambda::Function")
    _, integration = only(template, "AWS::ApiGatewayV2::Integration")
    assert integration["IntegrationType"] == "AWS_PROXY"
    assert integration["PayloadFormatVersion"] == "2.0"
    assert integration["IntegrationUri"] == {"Fn::GetAtt": [function_id, "Arn"]}
    _, route = only(template, "AWS::ApiGatewayV2::Route")
    assert route["RouteKey"] == "$default"
    _, stage = only(template, "AWS::ApiGatewayV2::Stage")
    assert stage["StageName"] == "$default"
    assert stage["AutoDeploy"] is True
    _, permission = only(template, "AWS::Lambda::Permission")
    assert permission["Principal"] == "apigateway.amazonaws.com"


def test_the_stage_is_throttled_as_set(synthesize: Synthesize) -> None:
    template = synthesize(throttle_burst="50", throttle_rate="12.5")

    template.has_resource_properties(
        "AWS::ApiGatewayV2::Stage",
        {
            "StageName": "$default",
            "DefaultRouteSettings": {"ThrottlingBurstLimit": 50, "ThrottlingRateLimit": 12.5},
        },
    )


def test_the_stage_is_throttled_by_default(synthesize: Synthesize) -> None:
    _, stage = only(synthesize(), "AWS::ApiGatewayV2::Stage")

    throttling = {"ThrottlingBurstLimit": 200, "ThrottlingRateLimit": 100}
    assert stage["DefaultRouteSettings"] == throttling


def test_the_api_url_is_an_output(synthesize: Synthesize) -> None:
    template = synthesize()

    api_id, _ = only(template, "AWS::ApiGatewayV2::Api")
    output = template.find_outputs("ApiUrl")["ApiUrl"]
    assert output["Value"] == {"Fn::GetAtt": [api_id, "ApiEndpoint"]}


@pytest.mark.parametrize(
    ("architecture", "layer"),
    [
        ("arm64", "901920570463:layer:aws-otel-collector-arm64-ver-0-117-0:1"),
        ("x86_64", "901920570463:layer:aws-otel-collector-amd64-ver-0-117-0:1"),
    ],
)
def test_tracing_is_active_with_the_collector_layer_of_the_architecture(
    synthesize: Synthesize, architecture: str, layer: str
) -> None:
    template = synthesize(tracing="true", architecture=architecture)

    _, function = only(template, "AWS::Lambda::Function")
    assert function["TracingConfig"] == {"Mode": "Active"}
    [arn] = function["Layers"]
    assert arn == {"Fn::Join": ["", ["arn:aws:lambda:", {"Ref": "AWS::Region"}, f":{layer}"]]}
    _, policy = only(template, "AWS::IAM::Policy")
    assert "xray:PutTraceSegments" in json.dumps(policy)


def test_without_tracing_there_is_neither_tracing_nor_layer(synthesize: Synthesize) -> None:
    template = synthesize(tracing="false")

    _, function = only(template, "AWS::Lambda::Function")
    assert "TracingConfig" not in function
    assert "Layers" not in function
    assert "xray" not in json.dumps(template.to_json())


def test_a_missing_package_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PackageMissingError, match="run `make lambda-package`"):
        function_code(tmp_path / "missing")


def test_an_empty_package_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PackageMissingError, match="set LAMBDA_PACKAGE_DIR"):
        function_code(tmp_path)


def test_the_request_timeout_must_be_under_the_function_timeout(synthesize: Synthesize) -> None:
    """The service answers a slow request (504) before the function is stopped."""
    _, function = only(synthesize(timeout_seconds="26"), "AWS::Lambda::Function")
    assert function["Environment"]["Variables"]["REQUEST_TIMEOUT"] == "25"

    with pytest.raises(ValueError, match=r"REQUEST_TIMEOUT=25 .* under LAMBDA_TIMEOUT_SECONDS=25"):
        synthesize(timeout_seconds="25")


def test_without_a_request_timeout_any_function_timeout_will_do() -> None:
    check_request_timeout({}, 1)


@pytest.mark.parametrize("tracing", ["true", "false"])
def test_the_stack_uses_nothing_deprecated_or_doubtful(
    deploy_variables: Callable[..., None], tmp_path: Path, tracing: str
) -> None:
    """CDK warns of deprecated APIs and dubious settings in the stack's annotations."""
    deploy_variables(tracing=tracing)

    app = App(outdir=str(tmp_path / "cdk.out"))
    stack = ServiceStack(app, "Service", settings=DeploySettings())

    annotations = Annotations.from_stack(stack)
    annotations.has_no_warning("*", Match.any_value())
    annotations.has_no_error("*", Match.any_value())
