"""Statistics of the speed benchmarks: repetition summaries and how cost grows with corpus size.

Pure functions over plain numbers, so they can be checked on hand-made cases.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from bench.metrics import percentile


@dataclass(frozen=True)
class Spread:
    """Percentiles of repeated timings: each is the median over repetitions of that percentile."""

    p50: float
    p95: float
    reps: int
    calls: int


def spread(reps: Sequence[Sequence[float]]) -> Spread:
    """p50 and p95 of each repetition's timings, then the median of each over repetitions."""
    kept = [list(rep) for rep in reps if rep]
    if not kept:
        return Spread(math.nan, math.nan, 0, 0)
    return Spread(
        statistics.median(percentile(rep, 0.5) for rep in kept),
        statistics.median(percentile(rep, 0.95) for rep in kept),
        len(kept),
        sum(len(rep) for rep in kept),
    )


@dataclass(frozen=True)
class PowerLaw:
    """`value ~ a * size ** b`, fitted by least squares on log-log axes."""

    a: float
    b: float
    points: int

    def at(self, size: float) -> float:
        """The fitted value at `size`."""
        return self.a * size**self.b


def fit_power_law(sizes: Sequence[float], values: Sequence[float]) -> PowerLaw:
    """Least-squares line through (log size, log value); pairs with a non-positive or NaN value
    are left out. Needs two distinct sizes."""
    pairs = [(s, v) for s, v in zip(sizes, values, strict=True) if s > 0 and v > 0 and not math.isnan(v)]
    if len({s for s, _ in pairs}) < 2:
        raise ValueError("a power law needs values at two or more sizes")
    xs = [math.log(s) for s, _ in pairs]
    ys = [math.log(v) for _, v in pairs]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    return PowerLaw(math.exp(my - b * mx), b, len(pairs))


def spread_order(n: int) -> list[int]:
    """0..n-1 in an order whose every prefix is spread evenly over the range (a stride coprime
    with n near n times the golden-ratio conjugate), so a corpus cut from its head samples all."""
    if n <= 2:
        return list(range(n))
    stride = max(1, round(n * 0.381966))
    while math.gcd(stride, n) != 1:
        stride += 1
    return [(k * stride) % n for k in range(n)]
