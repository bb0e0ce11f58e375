"""Which traces are kept, as ``OTEL_TRACES_SAMPLER`` says: the SDK's samplers for the spans of
the calls a request makes, and the same decision, made in a few operations, for the request's
own span (the tests hold the two to the same answers).

A ``parentbased_`` sampler follows the caller's decision when a ``traceparent`` came; without
one, and for the others, the root sampler decides: always, never, or by the trace id's low 64
bits against the ratio (``OTEL_TRACES_SAMPLER_ARG``), so every service keeps the same traces.
"""

from opentelemetry.sdk.trace.sampling import (
    ALWAYS_OFF,
    ALWAYS_ON,
    ParentBased,
    Sampler,
    TraceIdRatioBased,
)
from opentelemetry.trace import SpanContext

from .settings import TelemetrySettings

LOW_64_BITS = TraceIdRatioBased.TRACE_ID_LIMIT


def sdk_sampler(settings: TelemetrySettings) -> Sampler:
    ratio = TraceIdRatioBased(settings.traces_sampler_arg)
    samplers: dict[str, Sampler] = {
        "always_on": ALWAYS_ON,
        "always_off": ALWAYS_OFF,
        "traceidratio": ratio,
        "parentbased_always_on": ParentBased(ALWAYS_ON),
        "parentbased_always_off": ParentBased(ALWAYS_OFF),
        "parentbased_traceidratio": ParentBased(ratio),
    }
    return samplers[settings.traces_sampler]


class RequestSampling:
    """The decision for a request's span."""

    def __init__(self, settings: TelemetrySettings) -> None:
        self.follows_caller = settings.traces_sampler.startswith("parentbased_")
        root = settings.traces_sampler.removeprefix("parentbased_")
        bounds = {
            "always_on": LOW_64_BITS + 1,
            "always_off": 0,
            "traceidratio": TraceIdRatioBased.get_bound_for_rate(settings.traces_sampler_arg),
        }
        self.bound = bounds[root]

    def sampled(self, caller: SpanContext, trace_id: int) -> bool:
        """``caller``: the incoming context, invalid when none came."""
        if self.follows_caller and caller.is_valid:
            return caller.trace_flags.sampled
        return trace_id & LOW_64_BITS < self.bound
