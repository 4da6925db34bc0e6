"""The percentile derived benchmarks are (review.domain.statistics): linear interpolation between
closest ranks, numpy's default, computed exactly. Every expected value is worked out by hand:
position h = (n − 1)·p/100, value = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) on the sorted values."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from review.domain.statistics import percentile

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("p", [0, 25, 50, 99, 100])
def test_one_value_is_every_percentile_of_itself(p):
    assert percentile([7], p) == 7


@pytest.mark.parametrize(("p", "expected"), [
    (0, Fraction(10)),       # h = 0
    (25, Fraction(25, 2)),   # h = 0.25: 10 + 0.25 × 10 = 12.5
    (50, Fraction(15)),      # h = 0.5: the mean
    (100, Fraction(20)),     # h = 1
])
def test_two_values_interpolate_linearly(p, expected):
    assert percentile([20, 10], p) == expected


@pytest.mark.parametrize(("values", "p", "expected"), [
    ([1, 2, 3, 4], 50, Fraction(5, 2)),                   # h = 1.5: 2 + 0.5 × (3 − 2)
    ([3, 1, 4, 1, 5, 9, 2, 6], 50, Fraction(7, 2)),       # sorted 1 1 2 3 4 5 6 9; h = 3.5: 3 + 0.5 × 1
    ([3, 1, 4, 1, 5, 9, 2, 6], 90, Fraction(69, 10)),     # h = 6.3: 6 + 0.3 × (9 − 6) = 6.9
    ([3, 1, 4, 1, 5, 9, 2, 6], 10, Fraction(1)),          # h = 0.7: 1 + 0.7 × (1 − 1)
    ([5, 1, 3], 50, Fraction(3)),                         # odd n: h = 1, the middle value
    ([6, 8, 9, 10, 12, 20], 50, Fraction(19, 2)),         # h = 2.5: 9 + 0.5 × (10 − 9) = 9.5
])
def test_n_values(values, p, expected):
    assert percentile(values, p) == expected


def test_decimals_stay_exact():
    # 0.1 and 0.2 as decimals: their mean is exactly 0.15 (floats would not be).
    assert percentile([Decimal("0.1"), Decimal("0.2")], 50) == Fraction(3, 20)


def test_no_values_or_a_percentile_outside_0_to_100_is_refused():
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1, 2], 101)
    with pytest.raises(ValueError):
        percentile([1, 2], -1)
