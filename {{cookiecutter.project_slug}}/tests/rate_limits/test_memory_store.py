from {{ cookiecutter.package_name }}.rate_limits.rules import Limit
from {{ cookiecutter.package_name }}.rate_limits.store import PRUNE_SECONDS, MemoryStore, window_end

TWO_PER_10S = Limit(2, 10, "2/10s")


def test_windows_are_aligned_to_the_clock() -> None:
    assert window_end(TWO_PER_10S, 1000.0) == 1010.0
    assert window_end(TWO_PER_10S, 1009.99) == 1010.0
    assert window_end(TWO_PER_10S, 1010.0) == 1020.0


def test_a_window_counts_each_request_until_it_ends() -> None:
    store = MemoryStore()

    first = store.hit("k", TWO_PER_10S, 1003.0)
    second = store.hit("k", TWO_PER_10S, 1004.0)
    third = store.hit("k", TWO_PER_10S, 1009.0)
    next_window = store.hit("k", TWO_PER_10S, 1010.0)

    assert (first.used, first.remaining, first.reset, first.exceeded) == (1, 1, 7.0, False)
    assert (second.remaining, second.exceeded) == (0, False)
    assert (third.used, third.remaining, third.reset, third.exceeded) == (3, 0, 1.0, True)
    assert (next_window.used, next_window.exceeded) == (1, False)


def test_keys_count_apart() -> None:
    store = MemoryStore()
    store.hit("a", TWO_PER_10S, 1000.0)

    assert store.hit("b", TWO_PER_10S, 1000.0).used == 1


def test_ended_windows_are_forgotten() -> None:
    store = MemoryStore()
    for caller in range(100):
        store.hit(f"caller-{caller}", TWO_PER_10S, 1000.0)

    store.hit("late", TWO_PER_10S, 1000.0 + PRUNE_SECONDS + 10)

    assert list(store.windows) == ["late"]
