"""The one ASGI layer of the request pipeline.

Every pure-ASGI middleware costs a few microseconds per request whatever it does (a coroutine, a
``send`` closure, a ``try``), and ten of them cost more than all their work together. Here the
concerns stay separate classes (stages) but share one layer: one coroutine, one ``send``
wrapper, one ``try``. A hook a stage does not override is never called.

Only HTTP requests pass the stages; WebSocket and lifespan messages go straight to the app (a
WebSocket route checks its own host and credentials).
"""

import time
from collections.abc import Iterable, Sequence

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..context import Exchange, current
from .order import ORDER
from .stage import Stage


class PipelineError(ValueError):
    """Stages that cannot be ordered."""


def ordered(stages: Iterable[Stage]) -> list[Stage]:
    stages = list(stages)
    for stage in stages:
        if stage.name not in ORDER:
            raise PipelineError(f"stage {stage.name!r} has no place in pipeline.order.ORDER")
    names = [stage.name for stage in stages]
    if len(set(names)) != len(names):
        raise PipelineError(f"two stages take the same place: {sorted(names)}")
    return sorted(stages, key=lambda stage: ORDER.index(stage.name))


def overriding(stages: Sequence[Stage], hook: str) -> tuple[Stage, ...]:
    """The stages that implement ``hook``, in the order given."""
    return tuple(s for s in stages if getattr(type(s), hook) is not getattr(Stage, hook))


class Hooks:
    """The stages of each hook, in the order the hook runs in."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        self.on_request = overriding(stages, "on_request")
        self.wrap_receive = overriding(stages, "wrap_receive")
        self.on_response_start = overriding(stages, "on_response_start")
        self.on_error = overriding(stages[::-1], "on_error")
        self.on_finish = overriding(stages[::-1], "on_finish")


class Pipeline:
    def __init__(self, app: ASGIApp, stages: Iterable[Stage]) -> None:
        self.app = app
        self.stages = ordered(stages)
        self.hooks = Hooks(self.stages)
        # For a request a stage answers: the hooks of that stage and those before it only.
        self.hooks_answered_by = {
            id(stage): Hooks(self.stages[: index + 1]) for index, stage in enumerate(self.stages)
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        exchange = Exchange(scope)
        token = current.set(exchange)
        hooks = self.hooks

        async def send_through_stages(message: Message) -> None:
            if message["type"] == "http.response.start":
                exchange.status = message["status"]
                exchange.response_started = True
                headers = list(message.get("headers", ()))  # never the response's own list
                for stage in hooks.on_response_start:
                    stage.on_response_start(exchange, headers)
                message["headers"] = headers
            await send(message)

        try:
            response: Response | None = None
            for stage in hooks.on_request:
                answer = stage.on_request(exchange)
                if answer is not None and not isinstance(answer, Response):
                    answer = await answer  # a stage that had to wait for I/O
                if answer is not None:
                    # The stages after this one never saw the request.
                    response, hooks = answer, self.hooks_answered_by[id(stage)]
                    break
            if response is None:
                try:
                    app_receive = receive
                    for stage in hooks.wrap_receive:
                        app_receive = stage.wrap_receive(exchange, app_receive)
                    await self.app(scope, app_receive, send_through_stages)
                except BaseException as error:
                    response = self.answer_error(hooks, exchange, error)
                    if response is None or exchange.response_started:
                        raise
            if response is not None:
                await response(scope, receive, send_through_stages)
        finally:
            exchange.finished = time.perf_counter()
            for stage in hooks.on_finish:
                stage.on_finish(exchange)
            current.reset(token)

    @staticmethod
    def answer_error(hooks: Hooks, exchange: Exchange, error: BaseException) -> Response | None:
        for stage in hooks.on_error:
            response = stage.on_error(exchange, error)
            if response is not None:
                return response
        return None
