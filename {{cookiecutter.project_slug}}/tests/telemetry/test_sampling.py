"""A request's span is kept exactly when the SDK's sampler would keep it, for every
``OTEL_TRACES_SAMPLER``, with and without a caller's decision."""

import random
from typing import get_args

import pytest
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags
from opentelemetry.trace.span import INVALID_SPAN_CONTEXT

from {{ cookiecutter.package_name }}.telemetry.sampling import RequestSampling, sdk_sampler
from {{ cookiecutter.package_name }}.telemetry.settings import Sampler, TelemetrySettings

SAMPLERS: tuple[Sampler, ...] = get_args(Sampler)


def caller(sampled: bool) -> SpanContext:
    return SpanContext(
        random.getrandbits(128),
        random.getrandbits(64),
        is_remote=True,
        trace_flags=TraceFlags(TraceFlags.SAMPLED if sampled else TraceFlags.DEFAULT),
    )


@pytest.mark.parametrize("name", SAMPLERS)
@pytest.mark.parametrize("ratio", [0.0, 0.1, 0.5, 1.0])
def test_the_decision_is_the_sdk_samplers(name: Sampler, ratio: float) -> None:
    settings = TelemetrySettings(traces_sampler=name, traces_sampler_arg=ratio)
    ours, sdk = RequestSampling(settings), sdk_sampler(settings)
    generator = random.Random(f"{name}-{ratio}")  # noqa: S311 (trace ids, reproducibly)
    callers = [INVALID_SPAN_CONTEXT, caller(sampled=True), caller(sampled=False)]

    for _ in range(300):
        trace_id = generator.getrandbits(128)
        for context in callers:
            parent = trace.set_span_in_context(NonRecordingSpan(context), Context())
            expected = sdk.should_sample(parent, trace_id, "GET").decision.is_sampled()  # type: ignore[no-untyped-call]

            assert ours.sampled(context, trace_id) == expected
