"""Times of day in news prose (`assistant.text.dates.clock_times`) and when two date mentions disagree."""

from __future__ import annotations

import pytest

from assistant.text.dates import clock_times, dates_in


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the gates opened at 6 p.m. sharp", [("6 p.m.", (1080, 1080))]),
        ("at 5:30 p.m., and", [("5:30 p.m.", (1050, 1050))]),
        ("at 10.30pm on Friday", [("10.30pm", (1350, 1350))]),
        ("at 12 a.m.", [("12 a.m.", (0, 0))]),
        ("at noon", [("noon", (720, 720))]),
        ("at 17:45", [("17:45", (1065, 1065))]),
        ("shortly after 3 a.m.", [("3 a.m.", (180, 240))]),
        ("just before 9 p.m.", [("9 p.m.", (1200, 1260))]),
        ("not until about 6:30 a.m.", [("6:30 a.m.", (375, 405))]),
        # not times of day
        ("won in 2:08:31", []),
        ("a 4.5% rise", []),
        ("$3.30 a litre", []),
        ("the 13 members", []),
        ("at 13 p.m.", []),
    ],
)
def test_clock_times(text: str, expected: list[tuple[str, tuple[int, int]]]) -> None:
    assert [(d.text, d.clock) for d in clock_times(text)] == expected


@pytest.mark.parametrize(
    ("a", "b", "disagree"),
    [
        ("at 6 p.m.", "at 5:30 p.m.", True),
        ("at 6 p.m.", "at 6pm", False),
        ("shortly after 3 a.m.", "at 3:40 a.m.", False),
        ("shortly after 3 a.m.", "about 6:30 a.m.", True),
        ("about 11:50 p.m.", "at midnight", False),  # across midnight
    ],
)
def test_times_of_day_disagree_beyond_their_hedges(a: str, b: str, disagree: bool) -> None:
    (x,), (y,) = list(clock_times(a)), list(clock_times(b))
    assert x.disagrees(y) is disagree
    assert y.disagrees(x) is disagree


def test_weekdays_disagree_by_name_and_a_time_has_no_year() -> None:
    (saturday,), (sunday,), (year,) = dates_in("on Saturday"), dates_in("on Sunday"), dates_in("in 2019")
    (evening,) = clock_times("at 6 p.m.")
    assert saturday.disagrees(sunday)
    assert not saturday.disagrees(saturday)
    assert not evening.disagrees(year)
