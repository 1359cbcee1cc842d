"""Units of measure, read and converted with pint: "210 metres" and "about 690 feet" are one length,
"140 km/h" and "87 mph" one speed, "24 degrees Celsius" and "75 degrees Fahrenheit" one temperature.

Each reading is converted to the SI unit of its dimension (metres, kilograms, square and cubic metres,
metres per second, kelvin), so figures written in different systems compare. pint knows far more
units than news prose measures with, and some of its names are common words or abbreviations there
("point", "bar", "cup", "in", "pm"): only units of the dimensions below, built from the units named
in `_UNITS`, are read.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

_DIMENSIONS = {
    "[length]": "length",
    "[mass]": "mass",
    "[length] ** 2": "area",
    "[length] ** 3": "volume",
    "[length] / [time]": "speed",
    "[temperature]": "temperature",
}
# pint's names of the units news prose measures with (a speed's hour or second comes with a length).
_UNITS = frozenset(
    """meter kilometer centimeter millimeter mile foot inch yard nautical_mile gram kilogram milligram
    metric_ton ton pound ounce hectare acre liter milliliter gallon knot kilometer_per_hour
    mile_per_hour hour second degree_Celsius degree_Fahrenheit""".split()
)
# Written forms pint reads as units that in prose are mostly something else: "5 in the morning",
# "6 pm", "12 m" (million).
_NOT_UNITS = frozenset("in am pm m g t a s h l c f k mi".split())
_REWRITES = (
    (re.compile(r"^degrees? (?:celsius|centigrade)$|^°c$"), "degree_Celsius"),
    (re.compile(r"^degrees? fahrenheit$|^°f$"), "degree_Fahrenheit"),
    (re.compile(r"^celsius$|^centigrade$"), "degree_Celsius"),
    (re.compile(r"^fahrenheit$"), "degree_Fahrenheit"),
    (re.compile(r"\s+an?\s+(hour|second)$"), r" per \1"),  # "miles an hour"
    (re.compile(r"^nautical miles?$"), "nautical_mile"),
)


@dataclass(frozen=True)
class Unit:
    """A unit as written, its dimension, and how to bring a figure in it to the SI unit."""

    written: str
    dimension: str  # length | mass | area | volume | speed | temperature
    pint_unit: Any

    def to_si(self, value: float) -> float:
        """The figure in the SI unit of the dimension (an infinite bound stays infinite)."""
        if value in (float("inf"), float("-inf")):
            return value
        return float(_registry().Quantity(value, self.pint_unit).to_base_units().magnitude)


@functools.cache
def _registry() -> Any:
    import pint

    return pint.UnitRegistry()


@functools.lru_cache(maxsize=8192)
def unit(written: str) -> Unit | None:
    """The unit a phrase after a figure names ("metres", "km/h", "degrees Celsius"), or None."""
    phrase = " ".join(written.lower().split())
    if not phrase or phrase in _NOT_UNITS or not re.fullmatch(r"[a-z°/ .]+", phrase):
        return None
    for pattern, replacement in _REWRITES:
        phrase = pattern.sub(replacement, phrase)
    try:
        parsed = _registry().parse_units(phrase)
    except Exception:  # pint raises several error types for words it does not know
        return None
    dimension = _DIMENSIONS.get(str(parsed.dimensionality))
    if dimension is None or not set(parsed._units) <= _UNITS:
        return None
    return Unit(written, dimension, parsed)
