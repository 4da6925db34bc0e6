"""A province's figures as counters: (province, dimension, key) → value, kept up to date as
events arrive, so that a summary reads a few hundred counters instead of scanning a million rows.

A row of a read model contributes to its province's counters (the rules are in `organisations`
and `products`); an event moves the counters by the difference between what the row contributed
before and after it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

# (province, dimension, key) → amount
Contribution = dict[tuple[str, str, str], int]
# dimension → key → value (of one province, or summed over all)
Figures = dict[str, dict[str, int]]

# One counter as stored: (province, dimension, key, value)
CounterValue = tuple[str, str, str, int]


def difference(before: Contribution, after: Contribution) -> Contribution:
    """The changes to apply to the counters (zero changes left out)."""
    keys = set(before) | set(after)
    return {key: after.get(key, 0) - before.get(key, 0) for key in keys if after.get(key, 0) != before.get(key, 0)}


def figures_of(values: Iterable[CounterValue]) -> Figures:
    """The counters summed by dimension and key; `org_province` adds organisations by province.
    A dimension or key without a counter reads as 0."""
    figures: Figures = defaultdict(lambda: defaultdict(int))
    by_province: dict[str, int] = defaultdict(int)
    for province, dimension, key, value in values:
        figures[dimension][key] += value
        if dimension == "org_status":
            by_province[province] += value
    figures["org_province"] = by_province
    return figures
