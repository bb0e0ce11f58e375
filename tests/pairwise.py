"""Pairwise (all-pairs) answer sets: few cases in which every value of every parameter appears,
and every pair of values of every pair of interacting parameters appears together.

Greedy, in the manner of AETG: each new case starts from a value pair not yet covered and takes,
one parameter at a time, the value that covers the most of what is still missing. Nothing is
random and no decision depends on set or hash order, so the same input gives the same cases (and
the same test ids, which pytest-xdist workers must agree on).

For the tests that are costly to run on every case: ``covering_subset`` picks few cases that
still hold every value and meet every condition, and ``lightened`` makes those few cheaper.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any

Parameters = Mapping[str, Sequence[Any]]
Answers = dict[str, Any]
# Called with part of a case; False only when the answers it holds already break a rule.
Validity = Callable[[Mapping[str, Any]], bool]
# What the cases must cover: one parameter's value, or the values of two interacting parameters,
# as (name, value) assignments in the parameters' order.
Item = tuple[tuple[str, Any], ...]


def always_valid(answers: Mapping[str, Any]) -> bool:
    return True


def all_pairs(
    parameters: Parameters,
    interactions: Iterable[tuple[str, str]] | None = None,
    valid: Validity = always_valid,
    start: Sequence[Mapping[str, Any]] = (),
) -> list[Answers]:
    """Valid cases covering every value of every parameter and every pair of values of every
    interacting pair of parameters (all pairs when ``interactions`` is None).

    Each parameter's first value is its default: the first case is the defaults, then the cases
    of ``start`` (which must be valid), then those generated for what they leave uncovered;
    every case lists only the answers that differ from the defaults, in the parameters' order.
    Values and pairs that no valid case can hold are left out.
    """
    generator = _Generator(parameters, _interacting_pairs(parameters, interactions), valid)
    return [generator.differences(case) for case in generator.run(start)]


def covering_subset(
    cases: Sequence[Mapping[str, Any]],
    parameters: Parameters,
    conditions: Mapping[str, Validity] | None = None,
) -> list[Answers]:
    """A small subset of ``cases``, in their order, that still holds every value of every
    parameter that some case holds (answers missing from a case are defaults), and meets every
    one of ``conditions`` (named predicates over the whole answers) that some case meets.

    Greedy set cover: first the cases that alone hold some value (every cover needs them), then
    the first of the cases holding the most values still missing, until none is.
    """
    holdings = [_holdings(case, parameters, conditions) for case in cases]
    holders: dict[tuple[str, Any], list[int]] = {}
    for index, held in enumerate(holdings):
        for value in held:
            holders.setdefault(value, []).append(index)
    chosen = sorted({indexes[0] for indexes in holders.values() if len(indexes) == 1})
    missing = dict.fromkeys(holders)
    for index in chosen:
        for value in holdings[index]:
            missing.pop(value, None)
    while missing:
        gains = [sum(value in missing for value in held) for held in holdings]
        best = gains.index(max(gains))
        chosen.append(best)
        for value in holdings[best]:
            missing.pop(value, None)
    return [dict(cases[index]) for index in sorted(chosen)]


def lightened(
    cover: Sequence[Mapping[str, Any]],
    parameters: Parameters,
    conditions: Mapping[str, Validity] | None = None,
    valid: Validity = always_valid,
) -> list[Answers]:
    """``cover`` made lighter while it still holds every value and meets every condition that it
    holds and meets: a case goes where the others hold all it holds, and an answer goes back to
    its default where another case holds it, so long as the case stays valid and meets no more
    conditions than before. A case's weight is the number of conditions it meets (for the
    template, the sets of files, and of tests, that it keeps); the heaviest cases shed first.
    """
    defaults = {name: values[0] for name, values in parameters.items()}
    cases: list[Answers | None] = [dict(case) for case in cover]

    def holdings(case: Mapping[str, Any]) -> set[tuple[str, Any]]:
        return set(_holdings(case, parameters, conditions))

    def weight(case: Mapping[str, Any]) -> int:
        return sum(item[0] == "condition" for item in holdings(case))

    def held_beside(index: int) -> set[tuple[str, Any]]:
        others = [case for at, case in enumerate(cases) if at != index and case is not None]
        return set().union(*map(holdings, others))

    needed = set().union(*map(holdings, cover))

    def merge_one_pair() -> bool:
        """Two cases whose answers do not clash become one, if it meets no more conditions
        than the two did and nothing is lost: one case fewer, and the same files tested."""
        for first, second in combinations(range(len(cases)), 2):
            one, other = cases[first], cases[second]
            if (
                one is None
                or other is None
                or any(one.get(name, value) != value for name, value in other.items())
            ):
                continue
            joined = {**one, **other}
            merged = {name: joined[name] for name in parameters if name in joined}
            if not valid(merged) or weight(merged) > weight(one) + weight(other):
                continue
            beside = held_beside(first) & held_beside(second)
            if needed <= beside | holdings(merged):
                cases[first], cases[second] = merged, None
                return True
        return False

    changed = True
    while changed:
        changed = False
        heaviest_first = sorted(
            (index for index, case in enumerate(cases) if case is not None),
            key=lambda index: -weight(cases[index] or {}),
        )
        for index in heaviest_first:
            case = cases[index]
            assert case is not None
            beside = held_beside(index)
            if needed <= beside:
                cases[index] = None
                changed = True
                continue
            for name in [
                name for name in parameters if case.get(name, defaults[name]) != defaults[name]
            ]:
                lighter = {key: value for key, value in case.items() if key != name}
                if (
                    valid(lighter)
                    and weight(lighter) <= weight(case)
                    and needed <= beside | holdings(lighter)
                ):
                    case = cases[index] = lighter
                    changed = True
        changed |= merge_one_pair()
    return [case for case in cases if case is not None]


def _holdings(
    case: Mapping[str, Any],
    parameters: Parameters,
    conditions: Mapping[str, Validity] | None,
) -> list[tuple[str, Any]]:
    """The values a case holds (its answers, defaults where it gives none) and the conditions
    it meets."""
    answers = {**{name: values[0] for name, values in parameters.items()}, **case}
    met = [name for name, holds in (conditions or {}).items() if holds(answers)]
    return [(name, answers[name]) for name in parameters] + [("condition", name) for name in met]


def _interacting_pairs(
    parameters: Parameters, interactions: Iterable[tuple[str, str]] | None
) -> list[tuple[str, str]]:
    """The interacting pairs, each in the parameters' order, without repeats; an unknown name
    (an option renamed or removed) is an error rather than a pair silently left uncovered."""
    names = list(parameters)
    if interactions is None:
        return list(combinations(names, 2))
    pairs: dict[tuple[str, str], None] = {}
    for first, second in interactions:
        unknown = [name for name in (first, second) if name not in parameters]
        if unknown or first == second:
            raise ValueError(f"not a pair of parameters: {first!r} x {second!r}")
        ordered = sorted((first, second), key=names.index)
        pairs[ordered[0], ordered[1]] = None
    return list(pairs)


class _Generator:
    def __init__(
        self, parameters: Parameters, pairs: list[tuple[str, str]], valid: Validity
    ) -> None:
        self.parameters = {name: list(values) for name, values in parameters.items()}
        self.pairs = pairs
        self.valid = valid
        self.defaults = {name: values[0] for name, values in self.parameters.items()}
        self.position = {name: index for index, name in enumerate(self.parameters)}
        self.partners: dict[str, list[str]] = {name: [] for name in self.parameters}
        for first, second in pairs:
            self.partners[first].append(second)
            self.partners[second].append(first)
        # An insertion-ordered dict, used as a set whose order is reproducible.
        self.missing: dict[Item, None] = dict.fromkeys(self._required())

    def run(self, start: Sequence[Mapping[str, Any]]) -> list[Answers]:
        if not self.valid(self.defaults):
            raise ValueError(f"the defaults are not a valid case: {self.defaults}")
        cases = [self.defaults]
        for given in start:
            answers = {**self.defaults, **given}
            if not self.valid(answers):
                raise ValueError(f"not a valid case to start from: {dict(given)}")
            if answers not in cases:
                cases.append(answers)
        for answers in cases:
            self._cover(answers)
        while self.missing:
            case = self._best_case()
            if case is None:
                break  # only items no valid case can hold were left, and are now dropped
            cases.append(case)
            self._cover(case)
        return cases

    def differences(self, case: Answers) -> Answers:
        return {name: value for name, value in case.items() if value != self.defaults[name]}

    def _required(self) -> Iterable[Item]:
        for name, values in self.parameters.items():
            yield from (((name, value),) for value in values)
        for first, second in self.pairs:
            for first_value in self.parameters[first]:
                for second_value in self.parameters[second]:
                    yield (first, first_value), (second, second_value)

    def _item(self, name: str, value: Any, other: str, other_value: Any) -> Item:
        if self.position[name] < self.position[other]:
            return (name, value), (other, other_value)
        return (other, other_value), (name, value)

    def _items_of(self, case: Answers) -> Iterable[Item]:
        yield from (((name, value),) for name, value in case.items())
        for first, second in self.pairs:
            yield (first, case[first]), (second, case[second])

    def _cover(self, case: Answers) -> None:
        for item in self._items_of(case):
            self.missing.pop(item, None)

    def _best_case(self) -> Answers | None:
        """The case covering the most missing items among those grown from each missing pair
        (or value, once no pair is missing); the first such case on a tie."""
        largest = max(len(item) for item in self.missing)
        best: tuple[int, Answers] | None = None
        for seed in [item for item in self.missing if len(item) == largest]:
            case = self._complete(dict(seed), self._fill_order())
            if case is None:
                del self.missing[seed]  # no valid case holds it
                continue
            gain = sum(item in self.missing for item in self._items_of(case))
            if best is None or gain > best[0]:
                best = gain, case
        return None if best is None else best[1]

    def _fill_order(self) -> list[str]:
        """Parameters with the most missing items first, so that they choose freely."""
        load = dict.fromkeys(self.parameters, 0)
        for item in self.missing:
            for name, _ in item:
                load[name] += 1
        return sorted(self.parameters, key=lambda name: (-load[name], self.position[name]))

    def _gain(self, case: Answers, name: str, value: Any) -> int:
        """Missing items that giving ``name`` this value in ``case`` would cover."""
        gain = int(((name, value),) in self.missing)
        for other in self.partners[name]:
            if other in case:
                gain += self._item(name, value, other, case[other]) in self.missing
        return gain

    def _complete(self, case: Answers, order: list[str]) -> Answers | None:
        """``case`` with every parameter answered, greedily and validly; None if no valid answer
        set extends it (depth-first, so a dead end backtracks rather than failing)."""
        if not self.valid(case):
            return None
        unanswered = [name for name in order if name not in case]
        if not unanswered:
            return {name: case[name] for name in self.parameters}
        name = unanswered[0]
        # Most gain first; on a tie the earlier value, so cases stay close to the defaults.
        values = sorted(self.parameters[name], key=lambda value: -self._gain(case, name, value))
        for value in values:
            completed = self._complete({**case, name: value}, order)
            if completed is not None:
                return completed
        return None
