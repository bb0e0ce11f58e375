"""``RATE_LIMITS``: which limits apply to a request.

A JSON object from ``"METHOD /route/template"`` (the route as declared, ``/api/v1/items/{item_id}``)
or ``"default"`` to limits in the ``limits`` library's notation, ``"10/second;100/minute"``. A
route's entry gives each caller a budget of its own for that route; ``default`` gives each caller
one budget shared by every other request. The probes and ``/metrics`` are never limited: an
orchestrator or a scraper must not be refused.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.routing import compile_path

if TYPE_CHECKING:
    from limits import RateLimitItem

DEFAULT = "default"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
EXEMPT_PATHS = frozenset({"/health/live", "/health/ready", "/metrics"})


@dataclass(frozen=True, slots=True)
class Limit:
    """``amount`` requests per window of ``seconds``; ``name`` labels it in the header fields."""

    amount: int
    seconds: int
    name: str

    @classmethod
    def of(cls, item: "RateLimitItem") -> "Limit":
        seconds = item.get_expiry()
        return cls(item.amount, seconds, f"{item.amount}/{seconds}s")


@dataclass(frozen=True, slots=True)
class Rule:
    """The limits of one entry; ``key`` names its counters (the entry as written)."""

    key: str
    limits: tuple[Limit, ...]
    method: str | None = None  # None: the default
    template: str | None = None
    pattern: re.Pattern[str] | None = None


def parse_limits(text: str) -> tuple[Limit, ...]:
    """``"10/second;100/minute"`` as limits; ValueError if it is not that notation."""
    # Imported only when limits are set: the library and what it brings (wrapt, deprecated,
    # packaging) are a noticeable part of a cold start that sets none.
    from limits import parse_many

    try:
        items = parse_many(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a limit such as '10/second;100/minute'") from None
    if not items or any(item.amount < 1 for item in items):
        raise ValueError(f"{text!r} allows no request")
    return tuple(Limit.of(item) for item in items)


def parse_rule(key: str, limits: str) -> Rule:
    if key == DEFAULT:
        return Rule(key, parse_limits(limits))
    method, _, template = key.partition(" ")
    if method not in METHODS or not template.startswith("/"):
        raise ValueError(f"{key!r} is neither 'default' nor 'METHOD /route/template'")
    pattern, _, _ = compile_path(template)
    return Rule(key, parse_limits(limits), method, template, pattern)


class Rules:
    """The rules of ``RATE_LIMITS``, matched against a request's method and path."""

    def __init__(self, setting: Mapping[str, str]) -> None:
        rules = [parse_rule(key, limits) for key, limits in setting.items()]
        self.default = next((rule for rule in rules if rule.method is None), None)
        self.routes: dict[str, tuple[Rule, ...]] = {}
        for rule in rules:
            if rule.method is not None:
                self.routes[rule.method] = (*self.routes.get(rule.method, ()), rule)

    def __bool__(self) -> bool:
        return self.default is not None or bool(self.routes)

    def match(self, method: str, path: str) -> Rule | None:
        """The rule of a request: its route's, else the default (None for the exempt paths)."""
        for rule in self.routes.get(method, ()):
            if rule.pattern is not None and rule.pattern.match(path):
                return rule
        if path in EXEMPT_PATHS:
            return None
        return self.default

    def named(self) -> list[Rule]:
        """Every rule naming a route."""
        return [rule for rules in self.routes.values() for rule in rules]
