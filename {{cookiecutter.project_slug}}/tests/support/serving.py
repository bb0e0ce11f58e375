"""Instances to predict, and waiting for a worker's model."""

import time
from typing import Any

from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}_model import FEATURES
from {{ cookiecutter.package_name }}_model.schema import EXAMPLES


def instances(count: int) -> list[dict[str, float]]:
    """``count`` different flowers, around the examples of each species."""
    return [
        {
            name: round(value * (0.8 + 0.05 * ((index * 7 + offset) % 9)), 2)
            for offset, (name, value) in enumerate(EXAMPLES[index % len(EXAMPLES)].items())
        }
        for index in range(count)
    ]


def rows(batch: list[dict[str, float]]) -> list[list[float]]:
    """The batch as the estimator's input columns."""
    return [[instance[name] for name in FEATURES] for instance in batch]


def wait_until_ready(client: TestClient, seconds: float = 20) -> dict[str, Any]:
    """The readiness report once the model is loaded."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        response = client.get("/health/ready")
        if response.status_code == 200:
            report: dict[str, Any] = response.json()
            return report
        time.sleep(0.02)
    raise AssertionError(f"not ready: {response.json()}")
