import asyncio
from collections.abc import Awaitable

import pytest
from fastapi.testclient import TestClient
from starlette.responses import PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

from my_service.context import Exchange
from my_service.pipeline.layer import Pipeline, PipelineError
from my_service.pipeline.stage import Headers, Stage

calls: list[str] = []


async def hello(scope: Scope, receive: Receive, send: Send) -> None:
    calls.append("app")
    await PlainTextResponse("hello")(scope, receive, send)


class Recording(Stage):
    def __init__(self, name: str, answer: bool = False) -> None:
        self.name = name  # type: ignore[misc]  # instances stand for different places here
        self.answer = answer

    def on_request(self, exchange: Exchange) -> Response | None:
        calls.append(f"request {self.name}")
        return PlainTextResponse("refused", status_code=400) if self.answer else None

    def on_response_start(self, exchange: Exchange, headers: Headers) -> None:
        calls.append(f"start {self.name}")
        headers.append((b"x-stage", self.name.encode()))

    def on_finish(self, exchange: Exchange) -> None:
        calls.append(f"finish {self.name} {exchange.status}")


@pytest.fixture(autouse=True)
def no_calls() -> None:
    calls.clear()


def test_stages_run_in_the_declared_order_whatever_order_they_come_in() -> None:
    client = TestClient(Pipeline(hello, [Recording("security_headers"), Recording("request_id")]))

    response = client.get("/")

    assert response.headers.get_list("x-stage") == ["request_id", "security_headers"]
    assert calls == [
        "request request_id",
        "request security_headers",
        "app",
        "start request_id",
        "start security_headers",
        "finish security_headers 200",
        "finish request_id 200",
    ]


def test_a_stage_that_answers_hides_the_request_from_the_stages_after_it() -> None:
    stages = [
        Recording("request_id"),
        Recording("trusted_hosts", answer=True),
        Recording("timeout"),
    ]
    client = TestClient(Pipeline(hello, stages))

    response = client.get("/")

    assert response.status_code == 400
    assert response.headers.get_list("x-stage") == ["request_id", "trusted_hosts"]
    assert "app" not in calls
    assert not any(call.endswith("timeout") or "timeout " in call for call in calls)


class Waiting(Stage):
    """Waits for I/O before deciding, as a stage fetching a key does."""

    def __init__(self, name: str, answer: bool) -> None:
        self.name = name  # type: ignore[misc]
        self.answer = answer

    def on_request(self, exchange: Exchange) -> Awaitable[Response | None]:
        return self.decide()

    async def decide(self) -> Response | None:
        await asyncio.sleep(0)
        calls.append(f"request {self.name}")
        return PlainTextResponse("refused", status_code=400) if self.answer else None


@pytest.mark.parametrize("answer", [False, True])
def test_a_stage_may_wait_before_deciding(answer: bool) -> None:
    stages = [Recording("request_id"), Waiting("auth", answer=answer), Recording("timeout")]
    client = TestClient(Pipeline(hello, stages))

    response = client.get("/")

    assert response.status_code == (400 if answer else 200)
    assert ("app" in calls) is not answer
    assert ("request timeout" in calls) is not answer
    assert calls[:2] == ["request request_id", "request auth"]


def test_a_stage_without_a_place_is_refused() -> None:
    with pytest.raises(PipelineError, match="no place"):
        Pipeline(hello, [Recording("somewhere")])


def test_two_stages_cannot_take_one_place() -> None:
    with pytest.raises(PipelineError, match="same place"):
        Pipeline(hello, [Recording("request_id"), Recording("request_id")])
