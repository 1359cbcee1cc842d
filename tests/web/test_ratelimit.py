"""The per-client request limit, on a clock the test moves."""

from __future__ import annotations

from assistant.web.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_client_gets_its_quota_then_waits_for_the_window_to_slide() -> None:
    clock = Clock()
    limiter = RateLimiter(3, clock)
    for _ in range(3):
        assert limiter.admit("a") == 0
        clock.now += 10
    assert limiter.admit("a") == 30  # the first request (at 1000) leaves the window at 1060
    clock.now = 1060
    assert limiter.admit("a") == 0
    assert limiter.admit("a") == 10  # now the second (at 1010) is the oldest


def test_clients_are_counted_separately_and_refusals_do_not_count() -> None:
    limiter = RateLimiter(1, Clock())
    assert limiter.admit("a") == 0
    assert all(limiter.admit("a") > 0 for _ in range(5))
    assert limiter.admit("b") == 0


def test_zero_turns_the_limit_off() -> None:
    limiter = RateLimiter(0, Clock())
    assert all(limiter.admit("a") == 0 for _ in range(1000))
