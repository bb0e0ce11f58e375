"""The ``rate_limit`` stage: each request counted against the limits of its route
(``RATE_LIMITS``, see ``rate_limits/``), per caller; over a limit, a 429 problem+json with
``Retry-After``. Limited responses carry the ``RateLimit-Policy`` and ``RateLimit`` fields.

The caller is the identity the ``auth`` stage established (it runs before this one), else the
client's address as the server resolved it: uvicorn takes ``X-Forwarded-For`` only from the
proxies in ``FORWARDED_ALLOW_IPS``, so a client cannot pick its own key by sending the header.

The store answers at once when it can (memory always does); a store that must ask elsewhere
(Redis) is awaited. If it cannot be reached the request goes through uncounted, or is answered
503 with ``RATE_LIMIT_FAIL_CLOSED``.
"""

import time
from collections.abc import Awaitable
from http import HTTPStatus

from starlette.responses import Response

from ..context import Exchange
from ..errors import problem_response
from ..rate_limits import metrics
from ..rate_limits.fields import POLICY, STATE, policy_field, retry_after, state_field
from ..rate_limits.rules import Rule, Rules
from ..rate_limits.store import RateLimitStore, StoreUnavailableError, Usage
from .routes import declared_route
from .stage import Headers, Stage

TOO_MANY = "Too many requests: see the RateLimit field, and retry after Retry-After seconds."
UNAVAILABLE = "The rate limits cannot be checked right now."


def caller_of(exchange: Exchange) -> str:
    """Whose budget a request spends: its authenticated subject, else its client address."""
    if exchange.caller is not None:
        return f"subject:{exchange.caller}"
    client = exchange.scope.get("client")
    return f"address:{client[0] if client else 'unknown'}"


def label_route(exchange: Exchange, rule: Rule) -> None:
    """The route of a request answered here, for its metrics and access line: the router,
    which would tell it, never runs. A route's rule names it; the default's is looked up."""
    exchange.route = rule.template or declared_route(exchange.scope)


class RateLimit(Stage):
    name = "rate_limit"

    def __init__(self, rules: Rules, store: RateLimitStore, *, fail_closed: bool = False) -> None:
        self.rules = rules
        self.store = store
        self.fail_closed = fail_closed
        every = [*rules.named(), *([rules.default] if rules.default else [])]
        self.policies = {rule.key: policy_field(rule.limits) for rule in every}

    def on_request(self, exchange: Exchange) -> Response | Awaitable[Response | None] | None:
        rule = self.rules.match(exchange.method, exchange.path)
        if rule is None:
            return None
        caller = caller_of(exchange)
        now = time.time()
        usages: list[Usage] = []
        for limit in rule.limits:
            usage = self.store.hit(f"{rule.key}|{limit.name}|{caller}", limit, now)
            if not isinstance(usage, Usage):
                return self.after_io(exchange, rule, caller, now, usages, usage)
            usages.append(usage)
        return self.decide(exchange, rule, usages)

    async def after_io(
        self,
        exchange: Exchange,
        rule: Rule,
        caller: str,
        now: float,
        usages: list[Usage],
        pending: Awaitable[Usage],
    ) -> Response | None:
        try:
            usages.append(await pending)
            for limit in rule.limits[len(usages) :]:
                usage = self.store.hit(f"{rule.key}|{limit.name}|{caller}", limit, now)
                usages.append(usage if isinstance(usage, Usage) else await usage)
        except StoreUnavailableError:
            if self.fail_closed:
                metrics.unchecked(rule.key, "refused")
                label_route(exchange, rule)
                return problem_response(exchange.path, HTTPStatus.SERVICE_UNAVAILABLE, UNAVAILABLE)
            metrics.unchecked(rule.key, "let_through")
            return None
        return self.decide(exchange, rule, usages)

    def decide(self, exchange: Exchange, rule: Rule, usages: list[Usage]) -> Response | None:
        exchange.rate_limit_headers = [
            (POLICY, self.policies[rule.key]),
            (STATE, state_field(usages)),
        ]
        if not any(usage.exceeded for usage in usages):
            return None
        metrics.refused(rule.key).inc()
        label_route(exchange, rule)
        headers = {"Retry-After": str(retry_after(usages))}
        return problem_response(
            exchange.path, HTTPStatus.TOO_MANY_REQUESTS, TOO_MANY, headers=headers
        )

    def on_response_start(self, exchange: Exchange, headers: Headers) -> None:
        if exchange.rate_limit_headers is not None:
            headers += exchange.rate_limit_headers
