from {{ cookiecutter.package_name }}.registry.health import HealthState
from {{ cookiecutter.package_name }}.registry.schemas import Status

PASSING, WARNING, CRITICAL = Status.PASSING, Status.WARNING, Status.CRITICAL


def observed(state: HealthState, *results: Status, flip_after: int = 3) -> list[Status]:
    """The status after each result."""
    statuses = []
    for now, result in enumerate(results, start=1):
        state.observe(result, "seen", float(now), flip_after)
        statuses.append(state.status)
    return statuses


def test_critical_until_checked_and_the_first_result_counts_at_once() -> None:
    state = HealthState(critical_since=0.0)
    assert state.status is CRITICAL
    assert state.checked_at is None

    assert observed(state, PASSING) == [PASSING]
    assert state.checked_at is not None


def test_a_new_status_needs_flip_after_results_in_a_row() -> None:
    state = HealthState(critical_since=0.0)
    statuses = observed(state, PASSING, CRITICAL, CRITICAL, CRITICAL, PASSING, PASSING, PASSING)
    assert statuses == [PASSING, PASSING, PASSING, CRITICAL, CRITICAL, CRITICAL, PASSING]


def test_one_result_back_to_the_status_resets_the_streak() -> None:
    state = HealthState(critical_since=0.0)
    statuses = observed(state, PASSING, CRITICAL, CRITICAL, PASSING, CRITICAL, CRITICAL)
    assert statuses == [PASSING] * 6


def test_a_streak_must_agree_on_the_new_status() -> None:
    state = HealthState(critical_since=0.0)
    statuses = observed(state, PASSING, WARNING, CRITICAL, WARNING, WARNING, WARNING)
    assert statuses == [PASSING, PASSING, PASSING, PASSING, PASSING, WARNING]


def test_critical_time_counts_from_the_flip_and_is_zero_otherwise() -> None:
    state = HealthState(critical_since=0.0)
    assert state.critical_for(5.0) == 5.0  # never answered: critical since registration

    observed(state, PASSING, CRITICAL, CRITICAL, flip_after=2)  # flips at time 3
    assert state.status is CRITICAL
    assert state.critical_for(10.0) == 7.0

    state.observe(PASSING, "HTTP 200", 11.0, 1)
    assert state.critical_for(20.0) == 0.0
