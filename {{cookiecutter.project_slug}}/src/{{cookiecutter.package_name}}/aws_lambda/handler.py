"""The function's entry point, ``{{ cookiecutter.package_name }}.aws_lambda.handler.handler``.

Importing this module is the execution environment's init phase: the service is built and
started here, once, and every invocation reuses it. When Lambda shuts the environment down it
sends SIGTERM (to functions with extensions, such as the OpenTelemetry collector layer): the app
then stops as it does in a container, closing its pools and flushing its spans.
"""

import signal
import sys
from types import FrameType
from typing import Any

from mangum.types import LambdaContext, LambdaEvent

from .runtime import FunctionRuntime


def stop(signum: int, frame: FrameType | None) -> None:
    runtime.close()
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)  # before the app starts: its own handler chains to this
runtime = FunctionRuntime.start()


def handler(event: LambdaEvent, context: LambdaContext) -> dict[str, Any]:
    return runtime(event, context)
