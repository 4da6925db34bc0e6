"""A month's report of one province (or the nation), frozen when published: its figures as
they stood then, the same whenever it is downloaded; and a year's evaluation, frozen the same
way when the year is closed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MonthlyReport:
    id: str
    month: str  # YYYY-MM
    scope: str  # a province code, or "national"
    body: Mapping[str, Any]  # the figures, as the JSON download gives them
    published_at: dt.datetime


@dataclass(frozen=True)
class FrozenEvaluation:
    """A year's evaluation of every province as it stood when the year was closed."""

    year: int
    body: Mapping[str, Any]  # {"year", "provinces": [...]}, as GET /evaluation/<year> gives it
    closed_at: dt.datetime


def has_year_ended(year: int, today: dt.date) -> bool:
    return year < today.year
