"""The service in one Lambda execution environment: built once, serving one invocation at a time.

Lambda keeps an execution environment for many invocations and freezes it in between. So the
service is built once, in the environment's init phase (when the handler module is imported):
settings, logging, the features (migrations included, as ``python -m`` does before serving), the
app, and the app's lifespan (the database engine, HTTP clients), on one event loop that every
invocation then runs on. Mangum translates each event into one ASGI request on that loop; its own
lifespan handling stays off, since it would start and stop the app on every invocation.

What the app does in the background (flushing the access log, relaying events) runs only while an
invocation does: the access log is flushed after each one, before the environment may freeze.
"""

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from mangum import Mangum
from mangum.protocols import LifespanCycle
from mangum.types import LambdaContext, LambdaEvent

from ..config import Settings, get_settings
from ..feature import Feature
from ..features import enabled_features
from ..logging import access_log, configure_logging
from ..main import create_app
from .feature import LambdaInvocations
from .gateway import EVENT_HANDLERS

# Answered as text; anything else is base64-encoded for API Gateway, which decodes it.
TEXT_TYPES = ["text/", "application/json", "application/problem+json", "application/javascript"]
# Mangum logs a line per request and per lifespan step: the access log and the app say it already.
logging.getLogger("mangum").setLevel(logging.WARNING)


class FunctionRuntime:
    """The app of this execution environment, started, and the loop it runs on."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)  # Mangum runs each request on the current loop
        self._lifespan = LifespanCycle(app, "on")
        try:
            self._lifespan.__enter__()  # the app's startup
        except BaseException:
            # Raised on: Lambda reports the init as failed and tries a new environment.
            self._close_loop()
            raise
        self._adapter = Mangum(
            app, lifespan="off", custom_handlers=EVENT_HANDLERS, text_mime_types=TEXT_TYPES
        )
        self.closed = False

    @classmethod
    def start(
        cls, settings: Settings | None = None, features: Sequence[Feature] | None = None
    ) -> "FunctionRuntime":
        """The service as the environment configures it (or with these settings and features),
        prepared as ``python -m`` prepares it before serving, and started."""
        settings = settings or get_settings()
        configure_logging(settings)
        features = enabled_features(settings) if features is None else features
        for feature in features:
            feature.before_serving()
        return cls(create_app(settings, [*features, LambdaInvocations()]))

    def __call__(self, event: LambdaEvent, context: LambdaContext) -> dict[str, Any]:
        """One invocation: the API Gateway event's request, answered as API Gateway expects."""
        try:
            return self._adapter(event, context)
        finally:
            access_log.flush()

    def close(self) -> None:
        """Stop the app (its shutdown: pools closed, spans flushed) and the loop; once."""
        if self.closed:
            return
        self.closed = True
        try:
            self._lifespan.__exit__(None, None, None)
        finally:
            access_log.flush()
            self._close_loop()

    def _close_loop(self) -> None:
        asyncio.set_event_loop(None)
        self.loop.close()
