"""What the running app holds, typed: read it through these functions, never ``app.state.x``.

Each app has one ``ServiceState`` (tests build apps of their own), made by ``create_app()``.
"""

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from fastapi import FastAPI, Request

from .config import Settings
from .feature import Feature
from .readiness import Readiness

F = TypeVar("F", bound=Feature)


@dataclass
class ServiceState:
    settings: Settings
    features: Sequence[Feature]
    readiness: Readiness = field(default_factory=Readiness)
    started_at: float = field(default_factory=time.monotonic)  # reset when serving starts
    # What this instance serves with, by name (a feature's model and its version, say): shown
    # by /api/v1/health and /health/ready.
    components: dict[str, dict[str, str]] = field(default_factory=dict)

    def feature(self, kind: type[F]) -> F:
        """The enabled feature of this class; LookupError if it is not enabled."""
        for feature in self.features:
            if isinstance(feature, kind):
                return feature
        raise LookupError(f"{kind.__name__} is not enabled")


def attach(app: FastAPI, state: ServiceState) -> None:
    app.state.service = state


def service_state(request_or_app: Request | FastAPI) -> ServiceState:
    app = request_or_app if isinstance(request_or_app, FastAPI) else request_or_app.app
    state: ServiceState = app.state.service
    return state


def app_settings(request: Request) -> Settings:
    return service_state(request).settings
