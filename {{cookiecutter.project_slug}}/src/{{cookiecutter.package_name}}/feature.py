"""The interface through which a feature (a folder such as ``db/``) adds itself to the service.

A feature overrides what it brings, nothing else: its settings (a settings class of its own,
with its own variable prefix), its pipeline stages (each naming its place in
``pipeline/order.py``), its routers, its part of the app's lifespan (start and stop what it
runs, register readiness checks), its command-line commands, and what to do once before the
server starts. Its metrics live in its own package. ``features.py`` lists the enabled ones.
"""

import argparse
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from fastapi import APIRouter
from pydantic_settings import BaseSettings

from .pipeline.stage import Stage
from .rate_limits.store import RateLimitStore

if TYPE_CHECKING:
    from .state import ServiceState


@dataclass(frozen=True)
class Command:
    """A subcommand of ``python -m <package>``."""

    name: str
    help: str
    run: Callable[[argparse.Namespace], None]
    add_arguments: Callable[[argparse.ArgumentParser], None] = lambda parser: None


@dataclass(frozen=True)
class Routes:
    """A router and where it is mounted: under an API version (``/api/v1``), or at the root."""

    router: APIRouter
    api_version: str | None = "v1"


class Feature:
    # Short and unique: names the feature in logs, readiness checks and the state.
    name: ClassVar[str]
    # The feature's settings, read from the environment when it is built.
    settings: BaseSettings | None = None
    # Asks gunicorn to build the app once in its master process and fork the workers from it
    # (its --preload), so that what ``prepare()`` loads is shared by them, copy-on-write.
    preload_app: bool = False
    # Keeps state in its process's memory that every request must see (a registry's services):
    # the service then refuses to run more than one worker.
    one_process: bool = False
    # A store of the rate limits' counts that every worker and replica shares (Redis); without
    # one, each process counts for itself.
    rate_limit_store: RateLimitStore | None = None

    def prepare(self) -> None:
        """When the app is built (``create_app()``): in each worker, or once in gunicorn's master
        when a feature asks for ``preload_app``. For what is large and only read (a model);
        clients, pools and threads belong in ``lifespan()``, after the fork."""

    def stages(self) -> Sequence[Stage]:
        return ()

    def routes(self) -> Sequence[Routes]:
        return ()

    def lifespan(self, state: "ServiceState") -> AbstractAsyncContextManager[None]:
        """Runs around the app's life in each worker process, after the fork: build clients and
        pools here (never at import), add readiness checks, and close them on the way out."""
        return _nothing()

    def commands(self) -> Sequence[Command]:
        return ()

    def before_serving(self) -> None:
        """Once, in the serving process, before any worker starts (migrations, say)."""


@asynccontextmanager
async def _nothing() -> AsyncIterator[None]:
    yield
