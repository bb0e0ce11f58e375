"""A feature adds itself through ``Feature`` alone: settings, stages, routes, lifespan, commands."""

import argparse
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from my_service import __main__ as cli
from my_service.config import Settings
from my_service.context import Exchange
from my_service.feature import Command, Feature, Routes
from my_service.main import create_app
from my_service.pipeline.stage import Headers, Stage
from my_service.state import ServiceState, service_state

greetings = APIRouter()


@greetings.get("/greeting")
async def greeting() -> dict[str, str]:
    return {"greeting": "hello"}


class GreetingHeader(Stage):
    name = "tracing"  # a place no core stage takes

    def on_response_start(self, exchange: Exchange, headers: Headers) -> None:
        headers.append((b"x-greeting", b"hello"))


class Greeting(Feature):
    name = "greeting"

    def __init__(self) -> None:
        self.events: list[str] = []

    def stages(self) -> Sequence[Stage]:
        return [GreetingHeader()]

    def routes(self) -> Sequence[Routes]:
        return [Routes(greetings)]

    def lifespan(self, state: ServiceState) -> AbstractAsyncContextManager[None]:
        return self._running(state)

    @asynccontextmanager
    async def _running(self, state: ServiceState) -> AsyncIterator[None]:
        async def ready() -> None:
            return None

        self.events.append("started")
        state.readiness.add_check(self.name, ready)
        yield
        self.events.append("stopped")

    def commands(self) -> Sequence[Command]:
        return [Command("greet", "say hello", run=self._greet)]

    def _greet(self, arguments: argparse.Namespace) -> None:
        self.events.append(f"greeted ({arguments.command})")


def test_a_feature_brings_its_routes_stages_and_lifespan(settings: Settings) -> None:
    feature = Greeting()
    app = create_app(settings, [feature])

    with TestClient(app) as client:
        response = client.get("/api/v1/greeting")
        ready = client.get("/health/ready").json()
        assert service_state(app).feature(Greeting) is feature

    assert response.json() == {"greeting": "hello"}
    assert response.headers["x-greeting"] == "hello"
    assert ready["checks"]["greeting"] == "ok"
    assert feature.events == ["started", "stopped"]
    assert "/api/v1/greeting" in app.openapi()["paths"]


def test_a_feature_not_enabled_is_not_found(settings: Settings) -> None:
    app = create_app(settings, [])

    with pytest.raises(LookupError, match="Greeting is not enabled"):
        service_state(app).feature(Greeting)


def test_a_feature_adds_a_command(monkeypatch: pytest.MonkeyPatch) -> None:
    feature = Greeting()
    monkeypatch.setattr(cli, "enabled_features", lambda settings: [feature])

    cli.main(["greet"])

    assert feature.events == ["greeted (greet)"]
