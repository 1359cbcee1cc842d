"""The one table of `python -m bench.quality.eval`: a row per data set and metric, ours beside the naive
baseline measured in the same run.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Value = float | str | None


@dataclass(frozen=True)
class Row:
    """One metric on one data set; a value of None or NaN is shown as "–" (undefined or not run)."""

    dataset: str
    metric: str
    ours: Value
    naive: Value
    n: str


def cell(value: Value) -> str:
    """A value as shown: fractions with three decimals, "–" where there is none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def render(rows: Sequence[Row]) -> str:
    """The Markdown table."""
    lines = ["| data set | metric | ours | naive baseline | n |", "|---|---|---|---|---|"]
    lines += [f"| {r.dataset} | {r.metric} | {cell(r.ours)} | {cell(r.naive)} | {r.n} |" for r in rows]
    return "\n".join(lines)
