"""A stage: one per-request concern of the pipeline, with only the hooks it needs."""

from collections.abc import Awaitable
from typing import ClassVar

from starlette.responses import Response
from starlette.types import Receive

from ..context import Exchange

Headers = list[tuple[bytes, bytes]]


class Stage:
    """Override the hooks the concern needs; the pipeline calls only those overridden.

    Hooks run in the pipeline's order (``order.py``): ``on_request`` and ``on_response_start``
    outermost stage first, ``on_error`` and ``on_finish`` innermost first, as middleware nested
    in that order would. They are plain functions: a hook that awaited would cost a coroutine
    per request.
    """

    # The stage's place in ``order.ORDER``.
    name: ClassVar[str]

    def on_request(self, exchange: Exchange) -> Response | Awaitable[Response | None] | None:
        """Before the app. A response returned here answers instead of the app, and the stages
        after this one do not see the request. A stage that must wait for I/O first (a key to
        fetch) returns an awaitable of the same, in the rare requests that need it."""
        return None

    def wrap_receive(self, exchange: Exchange, receive: Receive) -> Receive:
        """The ``receive`` the app reads the request body through. May raise, to refuse the
        request before the app runs (``on_error`` then answers)."""
        return receive

    def on_response_start(self, exchange: Exchange, headers: Headers) -> None:
        """The response is starting with ``exchange.status``: append headers to it."""

    def on_error(self, exchange: Exchange, error: BaseException) -> Response | None:
        """The app raised: a response to answer with instead, or None to leave it to the next
        stage out. Once the response has started nothing more can be sent, and the error goes on
        to the server."""
        return None

    def on_finish(self, exchange: Exchange) -> None:
        """The response is complete (or failed); ``exchange.duration`` is known."""
