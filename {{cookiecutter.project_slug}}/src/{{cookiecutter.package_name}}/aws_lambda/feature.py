"""Lambda as a feature of the service, added by the function's handler only (``runtime.py``):
a container deployment neither lists it nor pays for its stage."""

from collections.abc import Sequence

from ..feature import Feature
from ..pipeline.stage import Stage
from .invocation import Invocation


class LambdaInvocations(Feature):
    name = "aws_lambda"

    def stages(self) -> Sequence[Stage]:
        return [Invocation()]
