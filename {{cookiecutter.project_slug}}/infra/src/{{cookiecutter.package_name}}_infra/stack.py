"""The service as an AWS Lambda function behind an API Gateway HTTP API."""

from pathlib import Path
from typing import Any, Final

from aws_cdk import CfnOutput, Duration, RemovalPolicy, Stack
from aws_cdk import aws_apigatewayv2 as apigateway
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk.aws_apigatewayv2_integrations import HttpLambdaIntegration
from constructs import Construct

from .settings import DeploySettings

RUNTIME: Final = lambda_.Runtime.PYTHON_{{ cookiecutter.python_version | replace('.', '_') }}
HANDLER: Final = "{{ cookiecutter.package_name }}.aws_lambda.handler.handler"

# Lambda's name for each architecture, and the one of the collector layers built for it.
ARCHITECTURES: Final = {
    "arm64": (lambda_.Architecture.ARM_64, "arm64"),
    "x86_64": (lambda_.Architecture.X86_64, "amd64"),
}
# The AWS Distro for OpenTelemetry collector, a public layer AWS publishes in every region
# (aws-otel.github.io/docs/getting-started/lambda): it receives the service's spans over OTLP on
# localhost and sends them to X-Ray. Its release is in the layer's name.
ADOT_COLLECTOR_ACCOUNT: Final = "901920570463"
ADOT_COLLECTOR_LAYER: Final = "aws-otel-collector-{architecture}-ver-0-117-0:1"


class PackageMissingError(FileNotFoundError):
    """The function's package has not been built."""


def function_code(package_dir: Path) -> lambda_.Code:
    """The function's code: the folder ``make lambda-package`` fills, uploaded as it is."""
    if not package_dir.is_dir() or not any(package_dir.iterdir()):
        raise PackageMissingError(
            f"no package in {package_dir}: run `make lambda-package` in the project's folder"
            " first, or set LAMBDA_PACKAGE_DIR"
        )
    return lambda_.Code.from_asset(str(package_dir))


def check_request_timeout(environment: dict[str, str], timeout_seconds: int) -> None:
    """The service answers a slow request itself (a 504) only before the function times out."""
    request_timeout = environment.get("REQUEST_TIMEOUT")
    if request_timeout is not None and float(request_timeout) >= timeout_seconds:
        raise ValueError(
            f"REQUEST_TIMEOUT={request_timeout} in the function's environment must be under"
            f" LAMBDA_TIMEOUT_SECONDS={timeout_seconds}"
        )


class ServiceStack(Stack):
    """The function, its log group, and the HTTP API in front of it, throttled."""

    def __init__(
        self, scope: Construct, construct_id: str, *, settings: DeploySettings, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        architecture, layer_architecture = ARCHITECTURES[settings.architecture]
        environment = settings.function_environment()
        check_request_timeout(environment, settings.timeout_seconds)

        log_group = logs.LogGroup(
            self,
            "FunctionLogs",
            retention=settings.log_retention,
            removal_policy=RemovalPolicy.DESTROY,
        )
        layers = None
        if settings.tracing:
            layer_name = ADOT_COLLECTOR_LAYER.format(architecture=layer_architecture)
            region = Stack.of(self).region
            layers = [
                lambda_.LayerVersion.from_layer_version_arn(
                    self,
                    "OpenTelemetryCollector",
                    f"arn:aws:lambda:{region}:{ADOT_COLLECTOR_ACCOUNT}:layer:{layer_name}",
                )
            ]
        function = lambda_.Function(
            self,
            "Function",
            runtime=RUNTIME,
            handler=HANDLER,
            code=function_code(settings.package_dir),
            memory_size=settings.memory_mb,
            timeout=Duration.seconds(settings.timeout_seconds),
            architecture=architecture,
            environment=environment,
            log_group=log_group,
            tracing=lambda_.Tracing.ACTIVE if settings.tracing else None,
            layers=layers,
        )

        api = apigateway.HttpApi(
            self,
            "Api",
            api_name=settings.stack_name,
            default_integration=HttpLambdaIntegration(
                "Function",
                function,
                payload_format_version=apigateway.PayloadFormatVersion.VERSION_2_0,
            ),
            create_default_stage=False,
        )
        # The stage every request goes through ($default: no prefix in the URL), throttled: over
        # the rate or the burst, API Gateway answers 429 before the function runs (or costs).
        api.add_stage(
            "DefaultStage",
            stage_name="$default",
            auto_deploy=True,
            throttle=apigateway.ThrottleSettings(
                burst_limit=settings.throttle_burst, rate_limit=settings.throttle_rate
            ),
        )
        CfnOutput(self, "ApiUrl", value=api.api_endpoint, description="The service's base URL.")
