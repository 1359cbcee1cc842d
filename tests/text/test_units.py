"""Units of measure read with pint (`assistant.text.units`) and amounts compared across systems."""

from __future__ import annotations

import pytest

from assistant.text.quantities import quantities_in
from assistant.text.units import unit


@pytest.mark.parametrize(
    ("written", "dimension", "si"),
    [
        ("metres", "length", 1.0),
        ("feet", "length", 0.3048),
        ("km/h", "speed", 1000 / 3600),
        ("miles an hour", "speed", 0.44704),
        ("degrees Celsius", "temperature", 274.15),
        ("tonnes", "mass", 1000.0),
        ("square miles", "area", 2589988.110336),
        ("litres", "volume", 0.001),
    ],
)
def test_units_news_measures_with(written: str, dimension: str, si: float) -> None:
    found = unit(written)
    assert found is not None
    assert found.dimension == dimension
    assert found.to_si(1) == pytest.approx(si)


@pytest.mark.parametrize("written", ["in", "pm", "points", "bars", "cups", "hours", "people", "m", "percent"])
def test_words_pint_knows_that_prose_uses_otherwise_are_no_units(written: str) -> None:
    assert unit(written) is None


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ("210 metres", "about 690 feet", True),
        ("24 degrees Celsius", "75 degrees Fahrenheit", True),  # 24 °C is 75.2 °F
        ("gusts of up to 140 km/h", "gusts of 87 mph", True),
        ("120 mm of rain", "nearly 5 inches of rain", True),
        ("about 1,500 tonnes", "an estimated 3.3 million pounds of frozen fish", True),  # pounds of: a weight
        ("4.8 metres", "5.3 metres", False),
        ("24 degrees Celsius", "82 degrees Fahrenheit", False),
        ("a 10 km run", "8 miles", False),
    ],
)
def test_amounts_in_different_units_compare(a: str, b: str, agree: bool) -> None:
    (x,), (y,) = list(quantities_in(a)), list(quantities_in(b))
    assert x.dimension == y.dimension
    assert x.agrees(y) is agree


def test_pounds_are_money_unless_they_weigh_something() -> None:
    (money,), (weight,) = (
        list(quantities_in("it cost 3 million pounds")),
        list(quantities_in("3 million pounds of fish")),
    )
    assert (money.dimension, money.unit) == ("money", "GBP")
    assert weight.dimension == "mass"
