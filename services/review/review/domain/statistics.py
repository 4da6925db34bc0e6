"""The statistic a derived benchmark is: a percentile of a field's values, computed exactly."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction


def percentile(values: Iterable[Fraction | Decimal | int], p: Fraction | Decimal | int) -> Fraction:
    """The `p`-th percentile (0–100) by linear interpolation between the closest ranks.

    The same definition as numpy's default (`method="linear"`): sort the n values, take the
    position h = (n − 1)·p/100, and interpolate between the values at floor(h) and floor(h)+1.
    One value is its own percentile; the 50th of two values is their mean. Exact: the values
    and the weight are fractions, so no rounding creeps in before the caller rounds the result.
    """
    ordered = sorted(Fraction(v) for v in values)
    if not ordered:
        raise ValueError("a percentile of no values")
    p = Fraction(p)
    if not 0 <= p <= 100:
        raise ValueError(f"a percentile is between 0 and 100, not {p}")
    position = (len(ordered) - 1) * p / 100
    lower = int(position)  # floor: position is never negative
    if lower + 1 >= len(ordered):
        return ordered[-1]
    weight = position - lower
    return ordered[lower] + weight * (ordered[lower + 1] - ordered[lower])
